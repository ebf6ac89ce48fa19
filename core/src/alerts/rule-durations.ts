// Rule durations: "15m" / "2h" / "1d" spans and "3 bars" cooldowns, as they are written in config/rules/*.yaml.
import { z } from 'zod';
import { expected } from '../config/config-messages.ts';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_RE = /^(\d{1,6})(s|m|h|d)$/;
const BARS_RE = /^(\d{1,6}) bars?$/;

/** A span of event time written `<n>s|m|h|d`, parsed to milliseconds (0 allowed: no window). */
export const durationSchema = z
  .string({ error: expected('a duration like 30s, 15m, 2h, 1d') })
  .regex(DURATION_RE, { error: expected('a duration like 30s, 15m, 2h, 1d') })
  .transform((text) => {
    const [, n, unit] = DURATION_RE.exec(text)!;
    return Number(n) * UNIT_MS[unit!]!;
  });

/** A cooldown: either a number of closed bars of the alert's series, or a span of event time. */
export type Cooldown = { readonly bars: number } | { readonly ms: number };

const COOLDOWN_TEXT = 'a cooldown like "3 bars" or 15m';

export const cooldownSchema = z
  .string({ error: expected(COOLDOWN_TEXT) })
  .refine((text) => BARS_RE.test(text) || DURATION_RE.test(text), { error: expected(COOLDOWN_TEXT) })
  .transform((text): Cooldown => {
    const bars = BARS_RE.exec(text);
    if (bars) return { bars: Number(bars[1]) };
    const [, n, unit] = DURATION_RE.exec(text)!;
    return { ms: Number(n) * UNIT_MS[unit!]! };
  });
