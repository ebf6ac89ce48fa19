// RuleError: an invalid rule file or rule, one line per problem: `<file>: rule "<name>": <key path>: <what is wrong>`.
import { BarstreamError } from '../errors.ts';

export interface RuleProblem {
  /** The file (or "rules table") the rule came from. */
  readonly source: string;
  /** The rule's name when it has a readable one, else its position (`rules[2]`). */
  readonly rule: string;
  /** Key path inside the rule, e.g. `condition.compare.op`; '' for the rule itself. */
  readonly path: string;
  readonly message: string;
}

export class RuleError extends BarstreamError {
  readonly problems: readonly RuleProblem[];
  constructor(problems: readonly RuleProblem[]) {
    super('invalid_rule', problems.map(formatRuleProblem).join('\n'));
    this.problems = problems;
  }
}

export function formatRuleProblem(p: RuleProblem): string {
  return `${p.source}: ${p.rule}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}
