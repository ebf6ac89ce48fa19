// Which SMC studies the trends chart draws: one toggle each, remembered with the other chart
// preferences (web/lib/chart/chart-preferences.ts stores this object under `smc`).
import { z } from 'zod';

export const SMC_TOGGLES = ['fvg', 'ob', 'liquidity', 'structure', 'swings'] as const;
export type SmcToggle = (typeof SMC_TOGGLES)[number];

export const SMC_TOGGLE_LABELS: Readonly<Record<SmcToggle, string>> = {
  fvg: 'FVG',
  ob: 'OB',
  liquidity: 'Liquidity',
  structure: 'BOS/CHoCH',
  swings: 'Swings',
};

export const smcVisibilitySchema = z.object({
  fvg: z.boolean().catch(true),
  ob: z.boolean().catch(true),
  liquidity: z.boolean().catch(true),
  structure: z.boolean().catch(true),
  swings: z.boolean().catch(true),
});
export type SmcVisibility = z.infer<typeof smcVisibilitySchema>;

export const DEFAULT_SMC_VISIBILITY: SmcVisibility = { fvg: true, ob: true, liquidity: true, structure: true, swings: true };
