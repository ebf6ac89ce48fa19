// Rules: config/rules/*.yaml copied into the rules table at start (source 'file'), and the active rules
// read back from the table (file and API rules alike). A bad file or row is reported and skipped.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { channels, parseRuleFile, RuleError, type AlertRule, type RuleReferences } from '@barstream/core';
import { inTransaction, type Logger, type Pool } from '@barstream/core/node';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

export interface FileRule {
  readonly rule: AlertRule;
  /** The rule's keys as written in the file, stored as config_yaml. */
  readonly raw: unknown;
  readonly source: string;
}

/** Every valid rule of the directory's *.yaml / *.yml files (name order); each bad file reported and skipped. */
export function readRuleFiles(
  dir: string,
  relative: string,
  refs: RuleReferences,
  logger: Logger,
): { rules: FileRule[]; problems: string[] } {
  const problems: string[] = [];
  const rules: FileRule[] = [];
  if (!existsSync(dir)) return { rules, problems };
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
    .sort();
  const seen = new Map<string, string>();
  for (const name of names) {
    const source = `${relative}/${name}`;
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(join(dir, name), 'utf8'));
    } catch (err) {
      problems.push(`${source}: (file): not valid YAML: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    let parsed: AlertRule[];
    try {
      parsed = parseRuleFile(raw, source, refs);
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      problems.push(err.message);
      continue;
    }
    const items = raw as unknown[];
    parsed.forEach((rule, i) => {
      const first = seen.get(rule.name);
      if (first !== undefined) {
        problems.push(`${source}: rule "${rule.name}": name: duplicate rule name; first defined in ${first}; skipped`);
        return;
      }
      seen.set(rule.name, source);
      rules.push({ rule, raw: items[i], source });
    });
  }
  for (const p of problems) logger.error({ problem: p }, 'rule file skipped');
  return { rules, problems };
}

/**
 * Writes the file rules into the rules table (a file's rule replaces its row; a name held by an API rule
 * is left to it and reported), removes file rows no file defines any more when every file was valid, and
 * NOTIFYs rules_changed — all in one transaction.
 */
export async function syncFileRules(pool: Pool, files: { rules: FileRule[]; problems: string[] }, logger: Logger): Promise<void> {
  await inTransaction(pool, async (client) => {
    for (const { rule, raw, source } of files.rules) {
      const { rowCount } = await client.query(
        `INSERT INTO rules (name, description, rule_type, config_yaml, source, is_active, priority)
         VALUES ($1, $2, $3, $4, 'file', $5, $6)
         ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, rule_type = EXCLUDED.rule_type,
           config_yaml = EXCLUDED.config_yaml, is_active = EXCLUDED.is_active, priority = EXCLUDED.priority, updated_at = now()
         WHERE rules.source = 'file' AND (rules.config_yaml, rules.is_active, rules.priority) IS DISTINCT FROM
           (EXCLUDED.config_yaml, EXCLUDED.is_active, EXCLUDED.priority)`,
        [rule.name, rule.description, rule.rule_type, stringifyYaml(raw), rule.is_active, rule.priority],
      );
      if (rowCount === 0) {
        const { rows } = await client.query<{ source: string }>('SELECT source FROM rules WHERE name = $1', [rule.name]);
        if (rows[0]?.source === 'api') logger.warn({ rule: rule.name, source }, 'an API rule has this name; the file rule is not stored');
      }
    }
    if (files.problems.length === 0) {
      await client.query(`DELETE FROM rules WHERE source = 'file' AND NOT (name = ANY($1::text[]))`, [files.rules.map((r) => r.rule.name)]);
    }
    await client.query('SELECT pg_notify($1, $2)', [
      channels.rulesChanged.name,
      JSON.stringify({ type: 'rules_changed', rule_id: null, action: 'synced' }),
    ]);
  });
}

export interface ActiveRule {
  readonly ruleId: number;
  readonly rule: AlertRule;
}

/** The active rows of the rules table, validated as a rule file is; a bad row is reported and skipped. */
export async function readActiveRules(pool: Pool, refs: RuleReferences, logger: Logger): Promise<ActiveRule[]> {
  const { rows } = await pool.query<{ rule_id: string; name: string; config_yaml: string; priority: number }>(
    'SELECT rule_id, name, config_yaml, priority FROM rules WHERE is_active ORDER BY name',
  );
  const out: ActiveRule[] = [];
  for (const row of rows) {
    const source = `rules table (rule_id ${row.rule_id})`;
    try {
      const raw: unknown = parseYaml(row.config_yaml);
      const [rule] = parseRuleFile([raw], source, refs);
      if (rule === undefined) continue;
      if (rule.name !== row.name) {
        logger.error({ rule: row.name, source }, `config_yaml names "${rule.name}", the row "${row.name}"; skipped`);
        continue;
      }
      // The row's columns are what the API toggles and orders by.
      out.push({ ruleId: Number(row.rule_id), rule: { ...rule, is_active: true, priority: row.priority } });
    } catch (err) {
      logger.error({ rule: row.name, problem: (err as Error).message }, 'rule in the table is not valid; skipped');
    }
  }
  return out;
}
