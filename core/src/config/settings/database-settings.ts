// The database: section of config/settings.yaml: where PostgreSQL is (or the embedded one runs).
import { z } from 'zod';
import { port } from './setting-fields.ts';

export const databaseSettingsSchema = z
  .strictObject({
    url: z.string().min(1).optional(),
    embedded_port: port.default(54329),
    embedded_data_dir: z.string().min(1).default('.data/postgres'),
    pool_size: z.number().int().positive().default(10),
  })
  .prefault({});
