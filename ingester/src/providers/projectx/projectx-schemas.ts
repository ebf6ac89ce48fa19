// zod schemas of every ProjectX Gateway REST response this client reads (parse, don't hope).
import { z } from 'zod';

/** Every Gateway response carries this envelope; failures come back as HTTP 200 with success: false. */
export const envelopeSchema = z.object({
  success: z.boolean(),
  errorCode: z.number().int().nullish(),
  errorMessage: z.string().nullish(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

export const loginResponseSchema = z.object({ token: z.string().min(1) });

/** POST /api/Auth/validate: the same session, re-issued. */
export const validateResponseSchema = z.object({ newToken: z.string().min(1) });

export const contractSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  description: z.string().nullish(),
  tickSize: z.number().positive(),
  tickValue: z.number(),
  activeContract: z.boolean(),
  /** Present in newer Gateway versions (e.g. 'F.US.ENQ'); older responses omit it. */
  symbolId: z.string().nullish(),
});
export type ProjectXContract = z.infer<typeof contractSchema>;

export const contractSearchResponseSchema = z.object({ contracts: z.array(contractSchema) });

/** searchById answers `{contract}`; some documented versions answer `{contracts: [..]}`: both are read. */
export const contractByIdResponseSchema = z.object({
  contract: contractSchema.nullish(),
  contracts: z.array(contractSchema).nullish(),
});

export const barSchema = z.object({
  /** Bar open time, ISO-8601 with offset. */
  t: z.string(),
  o: z.number(),
  h: z.number(),
  l: z.number(),
  c: z.number(),
  v: z.number().nonnegative(),
});
export type ProjectXBar = z.infer<typeof barSchema>;

export const retrieveBarsResponseSchema = z.object({ bars: z.array(barSchema).nullish() });

/** Names the first failing field of a zod error: `bars.3.t: expected string`. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${where}: ${issue.message}`;
}
