// The trends chart's display choices (timezone, overlays, marker sets), kept in localStorage so a
// page that stays open all day (or is reopened) looks the way its trader left it.
import { z } from 'zod';
import { DEFAULT_SMC_VISIBILITY, smcVisibilitySchema } from './smc/smc-visibility.ts';
import { PREFERENCES_STORAGE_KEY as STORAGE_KEY } from './stored-time-zone.ts';

export const preferencesSchema = z.object({
  timeZone: z.enum(['exchange', 'utc']).catch('exchange'),
  lines: z.record(z.string(), z.boolean()).catch({}),
  trendStarts: z.boolean().catch(true),
  hiddenAnalyzers: z.array(z.string()).catch([]),
  smc: smcVisibilitySchema.catch(DEFAULT_SMC_VISIBILITY),
});
export type ChartPreferences = z.infer<typeof preferencesSchema>;

export const DEFAULT_PREFERENCES: ChartPreferences = {
  timeZone: 'exchange',
  lines: {},
  trendStarts: true,
  hiddenAnalyzers: [],
  smc: DEFAULT_SMC_VISIBILITY,
};

/** Whatever is stored, a usable value: unknown or broken entries fall back to the defaults. */
export function parsePreferences(text: string | null): ChartPreferences {
  if (text === null) return DEFAULT_PREFERENCES;
  try {
    const parsed = preferencesSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : DEFAULT_PREFERENCES;
  } catch {
    return DEFAULT_PREFERENCES;
  }
}

function storedText(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled
  }
}

let lastRead: { readonly text: string | null; readonly preferences: ChartPreferences } | undefined;

/** The stored choices, as useSyncExternalStore's getSnapshot wants them: the same object while the
 * stored text is unchanged, since React compares snapshots by identity. */
export function storedPreferences(): ChartPreferences {
  const text = storedText();
  if (lastRead?.text !== text) lastRead = { text, preferences: parsePreferences(text) };
  return lastRead.preferences;
}

export function savePreferences(p: ChartPreferences): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(p));
  } catch {
    // storage full or disabled: the choice lasts for this page only
  }
}

export const lineVisible = (p: ChartPreferences, name: string): boolean => p.lines[name] ?? true;
