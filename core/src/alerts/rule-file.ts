// Validation of a rule file's parsed YAML (a list of rules) and of a set of files (names unique across them).
import { formatPath, flattenIssues, configErrorMap } from '../config/config-messages.ts';
import { RuleError, type RuleProblem } from './rule-error.ts';
import { referenceProblems, type RuleReferences } from './rule-references.ts';
import { alertRuleSchema, type AlertRule } from './rule-schema.ts';

/** How a rule is named in errors: `rule "ema-cross"` when its name is a string, else its position. */
function ruleLabel(raw: unknown, index: number): string {
  const name = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).name : undefined;
  return typeof name === 'string' && name !== '' ? `rule "${name}" (rules[${index}])` : `rules[${index}]`;
}

/** Problems of one file's content, every problem at once; `source` names the file in each. */
export function ruleFileProblems(raw: unknown, source: string): { rules: AlertRule[]; problems: RuleProblem[] } {
  if (raw === null || raw === undefined) return { rules: [], problems: [] }; // an empty file holds no rules
  if (!Array.isArray(raw)) {
    return {
      rules: [],
      problems: [{ source, rule: '(top level)', path: '', message: 'expected a list of rules (each item "- name: …")' }],
    };
  }
  const rules: AlertRule[] = [];
  const problems: RuleProblem[] = [];
  raw.forEach((item: unknown, index) => {
    const result = alertRuleSchema.safeParse(item, { error: configErrorMap });
    if (result.success) rules.push(result.data);
    else {
      for (const { path, message } of flattenIssues(result.error.issues)) {
        problems.push({ source, rule: ruleLabel(item, index), path: formatPath(path), message });
      }
    }
  });
  return { rules, problems };
}

/** Validates one file's content; throws RuleError naming file, rule and key for every problem. */
export function parseRuleFile(raw: unknown, source: string, refs?: RuleReferences): AlertRule[] {
  return parseRuleFiles([{ source, raw }], refs);
}

/**
 * Validates several files together (the content of config/rules/*.yaml): every problem of every file,
 * rule names unique across all of them (the alert key starts with the name) and, given `refs`, every
 * contract, timeframe and analyzer id a rule names known to the settings.
 */
export function parseRuleFiles(files: readonly { source: string; raw: unknown }[], refs?: RuleReferences): AlertRule[] {
  const rules: AlertRule[] = [];
  const problems: RuleProblem[] = [];
  const seen = new Map<string, string>();
  for (const { source, raw } of files) {
    const result = ruleFileProblems(raw, source);
    problems.push(...result.problems);
    for (const rule of result.rules) {
      const first = seen.get(rule.name);
      if (first !== undefined) {
        problems.push({ source, rule: `rule "${rule.name}"`, path: 'name', message: `duplicate rule name; first defined in ${first}` });
      } else {
        seen.set(rule.name, source);
        rules.push(rule);
      }
      for (const { path, message } of refs === undefined ? [] : referenceProblems(rule, refs)) {
        problems.push({ source, rule: `rule "${rule.name}"`, path, message });
      }
    }
  }
  if (problems.length > 0) throw new RuleError(problems);
  return rules;
}
