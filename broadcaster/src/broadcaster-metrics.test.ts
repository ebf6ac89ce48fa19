import { streamChannelSchema } from '@barstream/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createBroadcasterMetrics } from './broadcaster-metrics.ts';
import type { FanoutServer } from './fanout-server.ts';

describe('broadcaster metrics', () => {
  it('has the per-channel metrics of every stream channel the protocol knows (alerts and trades too)', async () => {
    const server = { clientCount: 0 } as unknown as FanoutServer;
    const metrics = createBroadcasterMetrics(new Registry(), server, { listening: () => true, queued: () => 0 });
    for (const channel of streamChannelSchema.options) {
      const m = metrics.byChannel[channel];
      expect(m, channel).toBeDefined();
      m.in.inc();
      m.latency.observe(0.001);
    }
    expect(Object.keys(metrics.byChannel).sort()).toEqual([...streamChannelSchema.options].sort());
  });
});
