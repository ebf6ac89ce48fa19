// Bar on the wire: the ohlc_update payload (the origin's shape plus is_closed) and its conversions.
// is_closed may be absent: the origin's own shape, as a user's SQL, trigger or an older ingester
// sends it, is a supported input and reads as a forming bar (isClosedBar).
import { z } from 'zod';
import { TimeframeUnit } from '../timeframe.ts';

const unitSchema = z.union(
  [1, 2, 3, 4, 5, 6].map((u) => z.literal(u)) as unknown as [
    z.ZodLiteral<1>,
    z.ZodLiteral<2>,
    z.ZodLiteral<3>,
    z.ZodLiteral<4>,
    z.ZodLiteral<5>,
    z.ZodLiteral<6>,
  ],
);

export const ohlcMessageSchema = z
  .object({
    type: z.literal('ohlc'),
    contract_id: z.string().min(1),
    timestamp: z.iso.datetime({ offset: true }),
    open: z.number().positive(),
    high: z.number().positive(),
    low: z.number().positive(),
    close: z.number().positive(),
    volume: z.number().nonnegative(),
    timeframe_unit: unitSchema,
    timeframe_value: z.number().int().positive(),
    /** Absent in the origin's shape: a forming bar (see isClosedBar). */
    is_closed: z.boolean().optional(),
  })
  .refine((b) => b.high >= Math.max(b.open, b.close, b.low) && b.low <= Math.min(b.open, b.close), {
    message: 'high must be >= open, close, low and low <= open, close',
  });
export type OhlcMessage = z.infer<typeof ohlcMessageSchema>;

/** The one reading of is_closed: absent (the origin's shape) is a forming bar. A bar is final only
 * when its sender says so; treating an unlabelled bar as forming costs at most an update that the
 * ingester's closed bar (or the next read of ohlc_bars) supersedes. */
export function isClosedBar(m: Pick<OhlcMessage, 'is_closed'>): boolean {
  return m.is_closed ?? false;
}

/** The payload with is_closed spelled out, for consumers that expect the field (WebSocket clients). */
export function withIsClosed(m: OhlcMessage): OhlcMessage & { is_closed: boolean } {
  return { ...m, is_closed: isClosedBar(m) };
}

/** A bar of one contract and timeframe, as the ingester builds it and ohlc_bars stores it. */
export interface ContractBar {
  readonly contractId: string;
  readonly unit: TimeframeUnit;
  readonly value: number;
  /** Bar open time (label), epoch ms UTC. */
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly isClosed: boolean;
}

/** A bar's identity as one string: contract, timeframe and bucket start. */
export function barKey(contractId: string, unit: number, value: number, time: number): string {
  return `${contractId}|${unit}|${value}|${time}`;
}

export function toOhlcMessage(bar: ContractBar): OhlcMessage {
  return {
    type: 'ohlc',
    contract_id: bar.contractId,
    timestamp: new Date(bar.time).toISOString(),
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    timeframe_unit: bar.unit,
    timeframe_value: bar.value,
    is_closed: bar.isClosed,
  };
}

export function fromOhlcMessage(m: OhlcMessage): ContractBar {
  return {
    contractId: m.contract_id,
    unit: m.timeframe_unit,
    value: m.timeframe_value,
    time: Date.parse(m.timestamp),
    open: m.open,
    high: m.high,
    low: m.low,
    close: m.close,
    volume: m.volume,
    isClosed: isClosedBar(m),
  };
}
