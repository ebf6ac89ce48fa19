// A request body's first zod issue as the ValidationError the API answers 400 with: the field is the
// issue's key path, or, for keys the body must not have, those keys.
import { ValidationError } from '@barstream/core';
import type { z } from 'zod';

export function bodyValidationError(error: z.ZodError): ValidationError {
  const issue = error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const at = issue.path.map(String).join('.');
    const keys = issue.keys.map((k) => (at ? `${at}.${k}` : k)).join(', ');
    return new ValidationError(keys, `unknown key${issue.keys.length > 1 ? 's' : ''}; not one this route takes`);
  }
  return new ValidationError(issue?.path.map(String).join('.') || 'body', issue?.message ?? 'is invalid');
}
