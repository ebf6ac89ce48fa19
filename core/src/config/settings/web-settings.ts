// The web: section of config/settings.yaml: the Next.js server.
import { z } from 'zod';
import { port } from './setting-fields.ts';

export const webSettingsSchema = z
  .strictObject({
    host: z.string().default('127.0.0.1'),
    port: port.default(3000),
    /** Where browsers reach the broadcaster; default: same host as the page, broadcaster port. */
    broadcaster_url: z.string().optional(),
  })
  .prefault({});
