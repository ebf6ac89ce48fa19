// Reads config/rules/*.yaml (alert rules) once: every file parsed as YAML, validated together, errors naming file, rule and key.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseRuleFiles } from '../alerts/rule-file.ts';
import { RuleError, type RuleProblem } from '../alerts/rule-error.ts';
import type { RuleReferences } from '../alerts/rule-references.ts';
import type { AlertRule } from '../alerts/rule-schema.ts';

/** The rules directory under a repository root (findRootDir in load-config.ts). */
export function rulesDir(rootDir: string): string {
  return join(rootDir, 'config', 'rules');
}

/**
 * Every rule of `<rootDir>/config/rules/*.yaml` (and *.yml), files in name order; no directory, no
 * rules. Throws RuleError with one line per problem of every file: YAML syntax, schema, duplicate
 * names and, given `refs` (referencesOf(settings)), unknown contracts, timeframes and analyzer ids.
 */
export function loadRules(rootDir: string, refs?: RuleReferences): AlertRule[] {
  const dir = rulesDir(rootDir);
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
    .sort();
  const files: { source: string; raw: unknown }[] = [];
  const syntax: RuleProblem[] = [];
  for (const name of names) {
    const source = `config/rules/${name}`;
    try {
      files.push({ source, raw: parseYaml(readFileSync(join(dir, name), 'utf8')) as unknown });
    } catch (err) {
      syntax.push({ source, rule: '(file)', path: '', message: `not valid YAML: ${(err as Error).message.split('\n')[0]}` });
    }
  }
  let rules: AlertRule[] = [];
  try {
    rules = parseRuleFiles(files, refs);
  } catch (err) {
    if (!(err instanceof RuleError)) throw err;
    syntax.push(...err.problems);
  }
  if (syntax.length > 0) throw new RuleError(syntax);
  return rules;
}
