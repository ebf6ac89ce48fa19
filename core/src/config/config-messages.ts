// What a user reads when the configuration is wrong: "expected …, got …" and "did you mean …?".
import leven, { closestMatch } from 'leven';
import { z } from 'zod';

/** A value as the user wrote it: strings quoted, lists and mappings named. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'object':
      return 'a mapping';
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'symbol':
    case 'undefined':
      return String(value);
    default:
      return 'a function';
  }
}

/** "; did you mean 'x'?" for the closest candidate, else ''. Close means at most a third of the word
 * changed, and at least 2 edits allowed, so a swapped pair of letters ('prot') still finds 'port'. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const maxDistance = Math.max(2, Math.ceil(word.length / 3));
  const match = closestMatch(word, candidates, { maxDistance });
  if (match === undefined || leven(word, match) >= Math.min(word.length, match.length)) return '';
  return `; did you mean '${match}'?`;
}

/** An error function for a schema: "expected <what>, got <value>". */
export function expected(what: string): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? `missing; expected ${what}` : `expected ${what}, got ${describeValue(issue.input)}`);
}

const TYPE_NOUNS: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

function bound(kind: 'min' | 'max', origin: string, value: number | bigint, inclusive: boolean | undefined): string {
  if (origin === 'array' || origin === 'set')
    return kind === 'min' ? `at least ${value} entr${value === 1 ? 'y' : 'ies'}` : `at most ${value} entries`;
  if (origin === 'string')
    return kind === 'min' ? (value === 1 ? 'a non-empty string' : `at least ${value} characters`) : `at most ${value} characters`;
  const op = kind === 'min' ? (inclusive === false ? '>' : '≥') : inclusive === false ? '<' : '≤';
  return `a number ${op} ${value}`;
}

/** Keys an object schema accepts, for suggestions. */
function keysOf(schema: unknown): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/**
 * The error map used when parsing settings, for issues whose schema has no message of its own.
 * An unrecognized_keys issue gets one message line per key, in the order of `issue.keys`
 * (formatIssues splits them so each key gets its own line and path).
 */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return expected(TYPE_NOUNS[issue.expected] ?? issue.expected)(issue);
    case 'too_small':
      return expected(bound('min', issue.origin, issue.minimum, issue.inclusive))(issue);
    case 'too_big':
      return expected(bound('max', issue.origin, issue.maximum, issue.inclusive))(issue);
    case 'invalid_value': {
      const values = issue.values.map(String);
      const hint = typeof issue.input === 'string' ? didYouMean(issue.input, values) : '';
      return `${expected(`one of ${values.join(', ')}`)(issue)}${hint}`;
    }
    case 'unrecognized_keys': {
      const known = keysOf(issue.inst);
      return issue.keys
        .map((key) => (known.length === 0 ? 'unknown key (none are accepted here)' : `unknown key${didYouMean(key, known)}`))
        .join('\n');
    }
    case 'invalid_union': {
      // The alternatives' own type expectations, e.g. "a number or a string or true or false".
      const nouns = [
        ...new Set(issue.errors.flat().flatMap((e) => (e.code === 'invalid_type' ? [TYPE_NOUNS[e.expected] ?? e.expected] : []))),
      ];
      return nouns.length > 0 ? expected(nouns.join(' or '))(issue) : undefined;
    }
    case 'invalid_format':
      return expected(issue.format === 'url' ? 'a URL' : `a ${issue.format}`)(issue);
    default:
      return undefined;
  }
};

/** `analyzer.targets[2].params.fast`: keys dotted, list positions in brackets. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
}

export interface ConfigIssueLine {
  /** Full path of the offending key, e.g. ['analyzer', 'targets', 2, 'params', 'fast']. */
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** One entry per problem; an unknown-keys issue becomes one entry per key, its path ending in the key. */
export function flattenIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssueLine[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys') return [{ path: issue.path, message: issue.message }];
    const messages = issue.message.split('\n');
    return issue.keys.map((key, i) => ({ path: [...issue.path, key], message: messages[i] ?? 'unknown key' }));
  });
}
