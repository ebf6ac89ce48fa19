// Schema dispatch: parse a mapping with the schema its tag picks, so an error points inside the chosen
// branch ("compare.op: expected one of <, <=, >, >=") instead of listing why every alternative failed.
import { z } from 'zod';
import { configErrorMap, describeValue, didYouMean, flattenIssues } from '../config/config-messages.ts';

/**
 * A schema for a mapping whose tag (`tagOf`) picks one of `branches`; an unknown or missing tag is one
 * issue at `tagPath` naming the tags accepted (with "did you mean").
 */
export function dispatchOn<T>(
  what: string,
  branches: Readonly<Record<string, z.ZodType<T>>>,
  tagOf: (input: Record<string, unknown>) => { tag: unknown; path: PropertyKey[] },
): z.ZodType<T> {
  const tags = Object.keys(branches);
  return z.unknown().transform((input, ctx): T => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      ctx.addIssue({ code: 'custom', input, message: `expected ${what}, got ${describeValue(input)}` });
      return z.NEVER;
    }
    const { tag, path } = tagOf(input as Record<string, unknown>);
    const branch = typeof tag === 'string' && Object.hasOwn(branches, tag) ? branches[tag] : undefined;
    if (branch === undefined) {
      const hint = typeof tag === 'string' ? didYouMean(tag, tags) : '';
      const got = tag === undefined ? 'missing' : `got ${describeValue(tag)}`;
      ctx.addIssue({ code: 'custom', input, path, message: `expected one of ${tags.join(', ')}; ${got}${hint}` });
      return z.NEVER;
    }
    const result = branch.safeParse(input, { error: configErrorMap });
    if (result.success) return result.data;
    for (const { path: at, message } of flattenIssues(result.error.issues)) {
      ctx.addIssue({ code: 'custom', input, path: [...at], message });
    }
    return z.NEVER;
  });
}

/** The tag of a mapping with exactly one key (`{ compare: {...} }`): the key itself. */
export function soleKey(input: Record<string, unknown>): { tag: unknown; path: PropertyKey[] } {
  const keys = Object.keys(input);
  return {
    tag: keys.length === 1 ? keys[0] : keys.length === 0 ? undefined : keys.join(' and '),
    path: keys.length === 1 ? [keys[0]!] : [],
  };
}
