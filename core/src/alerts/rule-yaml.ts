// One rule written as YAML (the rules table's config_yaml, edited through the API and the web): parsed,
// completed with the fields kept in their own columns, validated, and every problem named by its key.
import { Document, isMap, parseDocument } from 'yaml';
import { configErrorMap, flattenIssues, formatPath } from '../config/config-messages.ts';
import { referenceProblems, type RuleReferences } from './rule-references.ts';
import { alertRuleSchema, type AlertRule } from './rule-schema.ts';

/** The fields a rule row keeps in columns; they win over (and are written into) the YAML. */
export interface RuleColumns {
  readonly name: string;
  readonly description: string;
  readonly priority: number;
  readonly is_active: boolean;
}

/** A problem of a rule's YAML: `field` is a column (`name`, `priority`) or `config_yaml.<key path>`. */
export interface RuleYamlProblem {
  readonly field: string;
  readonly message: string;
}

export type RuleYamlResult =
  | { readonly ok: true; readonly rule: AlertRule; readonly yaml: string }
  | { readonly ok: false; readonly problems: readonly RuleYamlProblem[] };

const COLUMN_KEYS = ['name', 'description', 'priority', 'is_active'] as const;

/** Largest config_yaml taken: a rule is a few hundred bytes; this bounds one parse. */
export const MAX_RULE_YAML_CHARS = 20_000;

function fieldOf(path: readonly PropertyKey[]): string {
  const top = path[0];
  if (path.length === 1 && (COLUMN_KEYS as readonly PropertyKey[]).includes(top ?? '')) return String(top);
  return path.length === 0 ? 'config_yaml' : `config_yaml.${formatPath(path)}`;
}

/**
 * Parses `text` as one rule's mapping (name and the other column fields may be left out: the columns
 * supply them), validates it with the rule schema and, given `refs`, the names it refers to. On success
 * answers the rule and the YAML to store: the text with the column fields written in, comments kept.
 */
export function parseRuleYaml(text: string, columns: RuleColumns, refs?: RuleReferences): RuleYamlResult {
  if (text.length > MAX_RULE_YAML_CHARS) {
    return { ok: false, problems: [{ field: 'config_yaml', message: `is longer than ${MAX_RULE_YAML_CHARS} characters` }] };
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first?.linePos?.[0].line;
    const where = line === undefined ? '' : ` (line ${line})`;
    return {
      ok: false,
      problems: [{ field: 'config_yaml', message: `is not valid YAML${where}: ${first?.message.split('\n')[0] ?? ''}` }],
    };
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    return {
      ok: false,
      problems: [{ field: 'config_yaml', message: 'must be a mapping of the rule’s keys (rule_type: …, contracts: …)' }],
    };
  }
  const problems: RuleYamlProblem[] = [];
  const written = (doc.toJS() ?? {}) as Record<string, unknown>;
  for (const key of COLUMN_KEYS) {
    if (key in written && written[key] !== columns[key]) {
      problems.push({
        field: `config_yaml.${key}`,
        message: `is ${JSON.stringify(written[key])} but the rule's ${key} is ${JSON.stringify(columns[key])}; leave it out of the YAML`,
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const parsed = alertRuleSchema.safeParse({ ...written, ...columns }, { error: configErrorMap });
  if (!parsed.success) {
    return { ok: false, problems: flattenIssues(parsed.error.issues).map((i) => ({ field: fieldOf(i.path), message: i.message })) };
  }
  const refProblems = refs === undefined ? [] : referenceProblems(parsed.data, refs);
  if (refProblems.length > 0)
    return { ok: false, problems: refProblems.map((p) => ({ field: `config_yaml.${p.path}`, message: p.message })) };
  // An empty text holds no mapping to write the columns into: start one.
  const target: Document = doc.contents === null ? new Document({}) : doc;
  for (const key of COLUMN_KEYS) target.set(key, columns[key]);
  return { ok: true, rule: parsed.data, yaml: target.toString() };
}

/** A stored rule's YAML with its column fields rewritten (a toggle), comments kept; unparsable YAML is left as it is. */
export function withRuleColumns(yaml: string, columns: RuleColumns): string {
  const doc = parseDocument(yaml);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return yaml;
  for (const key of COLUMN_KEYS) doc.set(key, columns[key]);
  return doc.toString();
}
