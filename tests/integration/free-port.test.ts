// freePort probes with a socket it closes again, so the same process must never be handed one port twice:
// the whole stack's eight ports come from eight calls in a row.
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { freeStackPorts } from '../support/stack-env.ts';

describe('freePort', () => {
  it('never hands the same port out twice in one process', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 400; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('gives the stack eight different ports', async () => {
    const ports = Object.values(await freeStackPorts());
    expect(ports).toHaveLength(8);
    expect(new Set(ports).size).toBe(8);
  });
});
