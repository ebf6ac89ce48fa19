import { describe, expect, it } from 'vitest';
import { engineCommandSchema } from './engine-command-schema.ts';

describe('engine command schema', () => {
  it('accepts each command and names the field of a bad one', () => {
    expect(
      engineCommandSchema.parse({
        type: 'submit',
        order: { clientOrderId: 'a', side: 'buy', type: 'stop_limit', qty: 1, limitPrice: 10, stopPrice: 9 },
      }),
    ).toMatchObject({
      type: 'submit',
    });
    expect(engineCommandSchema.parse({ type: 'emergency_stop' })).toEqual({ type: 'emergency_stop' });
    const bad = engineCommandSchema.safeParse({ type: 'submit', order: { clientOrderId: 'a', side: 'buy', type: 'limit', qty: -1 } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'order.qty: Too small: expected number to be >0',
      'order.limitPrice: required by a limit order',
    ]);
  });
});
