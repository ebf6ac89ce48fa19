// zod schemas of the commands an API or CLI sends a run (submit, cancel, replace, emergency stop), so a
// bad body is a clear error naming the field before it reaches the engine.
import { z } from 'zod';
import type { EngineCommand } from './engine-events.ts';

const price = z.number().positive();

export const manualOrderSchema = z
  .strictObject({
    clientOrderId: z.string().min(1).max(200),
    side: z.enum(['buy', 'sell']),
    type: z.enum(['market', 'limit', 'stop', 'stop_limit']),
    qty: z.number().positive(),
    limitPrice: price.optional(),
    stopPrice: price.optional(),
    tif: z.enum(['gtc', 'day']).optional(),
  })
  .superRefine((order, ctx) => {
    const needsLimit = order.type === 'limit' || order.type === 'stop_limit';
    const needsStop = order.type === 'stop' || order.type === 'stop_limit';
    if (needsLimit !== (order.limitPrice !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['limitPrice'],
        message: needsLimit ? `required by a ${order.type} order` : `a ${order.type} order takes none`,
      });
    }
    if (needsStop !== (order.stopPrice !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['stopPrice'],
        message: needsStop ? `required by a ${order.type} order` : `a ${order.type} order takes none`,
      });
    }
  });

export const engineCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('emergency_stop'), reason: z.string().max(500).optional(), flatten: z.boolean().optional() }),
  z.strictObject({ type: z.literal('submit'), order: manualOrderSchema }),
  z.strictObject({ type: z.literal('cancel'), clientOrderId: z.string().min(1) }),
  z.strictObject({
    type: z.literal('replace'),
    clientOrderId: z.string().min(1),
    qty: z.number().positive().optional(),
    limitPrice: price.optional(),
    stopPrice: price.optional(),
  }),
]) satisfies z.ZodType<EngineCommand>;
