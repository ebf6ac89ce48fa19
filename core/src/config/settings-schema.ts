// The one schema of config/settings.yaml (plus env overrides): the sections (settings/*-settings.ts,
// defaults beside each) and the checks across them. Every name stays importable from here.
import { z } from 'zod';
import { checkSettingsReferences } from './settings/settings-references.ts';
import { settingsSectionsSchema } from './settings/settings-sections.ts';

export { DEFAULT_CALENDARS, type CalendarSettings } from './settings/calendar-settings.ts';
export {
  UNLISTED_ALPACA_SYMBOL,
  UNLISTED_BINANCE_SYMBOL,
  UNLISTED_COINBASE_PRODUCT,
  isUnlistedVenueProduct,
} from './settings/unlisted-venue-products.ts';
export type { ContractSettings } from './settings/contract-settings.ts';
export type { AnalysisTarget } from './settings/analysis-target-settings.ts';

export const settingsSchema = settingsSectionsSchema.superRefine(checkSettingsReferences);

export type Settings = z.infer<typeof settingsSchema>;
