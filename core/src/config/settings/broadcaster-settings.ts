// The broadcaster: section of config/settings.yaml: the WebSocket server.
import { z } from 'zod';
import { port } from './setting-fields.ts';

export const broadcasterSettingsSchema = z
  .strictObject({
    host: z.string().default('127.0.0.1'),
    port: port.default(8765),
    metrics_port: port.default(9103),
    token: z.string().min(1).optional(),
    allowed_origins: z.array(z.string()).default([]),
    /** Least ms between two writes to a client: the messages within it share one write (one system
     * call per client, not one per message; docs/WEBSOCKET.md). 0: after every event-loop turn. */
    write_interval_ms: z.number().int().min(0).max(100).default(0),
  })
  .prefault({});
