// The analyzer: section of config/settings.yaml: strategy targets and SMC studies.
import { z } from 'zod';
import { analysisTargetSchema } from './analysis-target-settings.ts';
import { smcStudySchema } from '../smc-study-schema.ts';
import { port } from './setting-fields.ts';

export const analyzerSettingsSchema = z
  .strictObject({
    metrics_host: z.string().default('127.0.0.1'),
    metrics_port: port.default(9102),
    sweep_cron: z.string().default('*/5 * * * *'),
    targets: z.array(analysisTargetSchema).default([]),
    /** SMC study instances (smc-study-schema.ts): stored in smc_events / zones. */
    smc: z.array(smcStudySchema).default([]),
  })
  .prefault({});
