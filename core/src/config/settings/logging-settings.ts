// The logging: section of config/settings.yaml.
import { z } from 'zod';

export const loggingSettingsSchema = z
  .strictObject({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  })
  .prefault({});
