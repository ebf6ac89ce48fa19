// URLSearchParams → a route's typed query, or a ValidationError naming the first bad field (or
// every parameter the route does not take).
import { ValidationError } from '@barstream/core';
import { z } from 'zod';

const parameterNamesOf = new WeakMap<z.ZodType, readonly string[]>();

/** The parameters a route's query schema reads: the keys of its input object. */
export function parameterNames(schema: z.ZodType): readonly string[] {
  let names = parameterNamesOf.get(schema);
  if (!names) {
    let input: z.ZodType = schema;
    while (input instanceof z.ZodPipe) input = input.in as z.ZodType;
    names = input instanceof z.ZodObject ? Object.keys(input.shape) : [];
    parameterNamesOf.set(schema, names);
  }
  return names;
}

/** Parses the first value of each parameter; an empty value counts as absent; a parameter the
 * route does not take is an error (a misspelt `limt` must not silently give the default). */
export function parseQuery<S extends z.ZodType>(schema: S, params: URLSearchParams): z.output<S> {
  const known = parameterNames(schema);
  const unknown = [...new Set([...params.keys()].filter((key) => !known.includes(key)))];
  if (unknown.length > 0) {
    const takes = known.length === 0 ? 'this route takes no parameters' : `this route takes ${known.join(', ')}`;
    throw new ValidationError(unknown.join(', '), `unknown parameter${unknown.length > 1 ? 's' : ''}; ${takes}`);
  }
  const raw: Record<string, string> = {};
  for (const [key, value] of params) {
    if (!(key in raw) && value !== '') raw[key] = value;
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'query';
  throw new ValidationError(field, issue?.message ?? 'is invalid');
}
