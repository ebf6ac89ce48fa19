// The status: section of config/settings.yaml: which services the /status page asks.
import { z } from 'zod';
import { port } from './setting-fields.ts';

export const statusSettingsSchema = z
  .strictObject({
    /** Where the web server reaches the services' /health and /metrics. */
    host: z.string().default('127.0.0.1'),
    /** Services /status lists besides the ingester, analyzer and broadcaster (whose metrics ports
     * come from their own sections): a new service adds its entry here. */
    services: z
      .array(z.strictObject({ name: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a lower-case service name'), metrics_port: port }))
      .default([
        { name: 'alerter', metrics_port: 9104 },
        { name: 'trader', metrics_port: 9105 },
      ]),
  })
  .prefault({});
