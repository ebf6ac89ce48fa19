// The sections of config/settings.yaml, each parsed by its own schema (one file a section beside this one).
import { z } from 'zod';
import { alerterSettingsSchema } from './alerter-settings.ts';
import { analyzerSettingsSchema } from './analyzer-settings.ts';
import { authSettingsSchema } from './auth-settings.ts';
import { broadcasterSettingsSchema } from './broadcaster-settings.ts';
import { calendarSchema } from './calendar-settings.ts';
import { contractSchema } from './contract-settings.ts';
import { databaseSettingsSchema } from './database-settings.ts';
import { ingesterSettingsSchema } from './ingester-settings.ts';
import { leaseSettingsSchema } from './lease-settings.ts';
import { loggingSettingsSchema } from './logging-settings.ts';
import { providerSettingsSchema } from './provider-settings.ts';
import { retentionSettingsSchema } from './retention-settings.ts';
import { statusSettingsSchema } from './status-settings.ts';
import { traderSettingsSchema } from './trader-settings.ts';
import { webSettingsSchema } from './web-settings.ts';

export const settingsSectionsSchema = z.strictObject({
  database: databaseSettingsSchema,
  session_calendars: z.record(z.string(), calendarSchema).default({}),
  contracts: z.array(contractSchema).default([]),
  ingester: ingesterSettingsSchema,
  analyzer: analyzerSettingsSchema,
  alerter: alerterSettingsSchema,
  broadcaster: broadcasterSettingsSchema,
  trader: traderSettingsSchema,
  web: webSettingsSchema,
  status: statusSettingsSchema,
  providers: providerSettingsSchema,
  auth: authSettingsSchema,
  retention: retentionSettingsSchema,
  leases: leaseSettingsSchema,
  logging: loggingSettingsSchema,
});

/** The settings as the sections parse them, before the checks across sections. */
export type SettingsSections = z.infer<typeof settingsSectionsSchema>;
