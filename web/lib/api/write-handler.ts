// Request bodies of the write routes: JSON checked by the route's schema, or CSV text; either way a
// mistake is a ValidationError naming the field, answered 400 by the one error mapper.
import 'server-only';
import { ValidationError } from '@barstream/core';
import type { z } from 'zod';
import { bodyValidationError } from './body-issue.ts';

/** Largest body read: a labels CSV of the import's row limit fits with room to spare. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export async function readBodyText(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new ValidationError('body', `is larger than ${MAX_BODY_BYTES} bytes`);
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new ValidationError('body', `is larger than ${MAX_BODY_BYTES} bytes`);
  return text;
}

export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const text = await readBodyText(request);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError('body', 'is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ValidationError('body', 'must be a JSON object');
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  throw bodyValidationError(result.error);
}

/** A path parameter that must be a positive integer id. */
export function idParameter(text: string, field = 'id'): bigint {
  if (!/^\d{1,18}$/.test(text) || BigInt(text) === 0n) throw new ValidationError(field, 'must be a positive whole number');
  return BigInt(text);
}
