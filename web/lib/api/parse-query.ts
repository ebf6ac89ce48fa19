// URLSearchParams → a route's typed query, or a ValidationError naming the first bad field.
import { ValidationError } from '@barstream/core';
import type { z } from 'zod';

/** Parses the first value of each parameter; an empty value counts as absent. */
export function parseQuery<S extends z.ZodType>(schema: S, params: URLSearchParams): z.output<S> {
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
