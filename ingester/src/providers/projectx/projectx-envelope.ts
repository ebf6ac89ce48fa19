// Reads a Gateway JSON body: the {success, errorCode, errorMessage} envelope first, then the payload schema.
import type { z } from 'zod';
import { ProjectXApiError } from './projectx-errors.ts';
import { describeZodError, envelopeSchema } from './projectx-schemas.ts';

/** The payload of a successful response; ProjectXApiError('projectx_error') when the envelope says it failed. */
export function readGatewayResponse<T>(path: string, body: unknown, schema: z.ZodType<T>): T {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) {
    throw new ProjectXApiError('projectx_bad_response', `ProjectX ${path}: unexpected response, ${describeZodError(envelope.error)}`, {
      path,
    });
  }
  const { success, errorCode, errorMessage } = envelope.data;
  if (!success) {
    const code = errorCode ?? undefined;
    const message = errorMessage ?? undefined;
    throw new ProjectXApiError('projectx_error', `ProjectX ${path} failed: ${message ?? 'no message'} (errorCode ${code ?? 'none'})`, {
      path,
      ...(code !== undefined && { errorCode: code }),
      ...(message !== undefined && { errorMessage: message }),
    });
  }
  const payload = schema.safeParse(body);
  if (!payload.success) {
    throw new ProjectXApiError('projectx_bad_response', `ProjectX ${path}: unexpected response, ${describeZodError(payload.error)}`, {
      path,
    });
  }
  return payload.data;
}
