// The lease fence of an ingester flush (docs/DEPLOY.md "Standbys and scale-out", migration 018): the
// units a flush writes (its contracts, or the whole feed) with the epochs this instance took them at,
// checked inside the flush's own transaction by one statement that holds their fence locks shared (migration 018).
// A flush of a dead or displaced holder then either commits before the taker's epoch bump returns (so
// the taker's read of the stored tail sees it) or fails; its ticks and bars are the taker's to resume.
// Backfill and connect-minute repair writes (history-store.ts) carry the same check, one unit each.
// A refusal (SQLSTATE BSF01) names its units (migration 020): they count as lost here at once, so no
// write of them is tried again, and the lease owner stops streaming them (ContractLeases).
import type { ContractBar } from '@barstream/core';
import { z } from 'zod';
import type { PoolClient } from '@barstream/core/node';
import type { TickBatch } from './tick-batch.ts';

/** SQLSTATE lease_fence_check raises when a unit's epoch is not the one given. */
export const FENCE_LOST_CODE = 'BSF01';

/** The units one flush writes and the epochs they were taken at (undefined: this instance lost it). */
export interface FenceClaim {
  readonly units: readonly string[];
  readonly epochs: readonly (number | undefined)[];
}

/** The check as an SQL call, its two arrays at parameters $first and $first+1: a statement of its own
 * in a flush transaction, or one select-list item of the one-statement tick flush. */
export function fenceCheckCall(first: number): string {
  return `lease_fence_check('ingester', $${first}::text[], $${first + 1}::int8[])`;
}

export function fenceParams(claim: FenceClaim): unknown[] {
  return [claim.units, claim.epochs.map((e) => e ?? null)];
}

/** The flush transaction's first statement: its units' fence locks stay held until it ends. */
export async function checkFence(client: PoolClient, claim: FenceClaim): Promise<void> {
  await client.query(`SELECT ${fenceCheckCall(1)}`, fenceParams(claim));
}

export function isFenceLost(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === FENCE_LOST_CODE;
}

const LostUnits = z.array(z.string().min(1));

/** The units a BSF01 refusal names (its DETAIL, a JSON array: migration 020); empty when it names none. */
export function lostUnits(err: unknown): string[] {
  const detail = (err as { detail?: unknown } | null)?.detail;
  if (typeof detail !== 'string') return [];
  try {
    const parsed = LostUnits.safeParse(JSON.parse(detail));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Which lease units an ingester's flushes write, and at which epochs (ContractLeases' manager). */
export class IngestFence {
  /** Units a write was refused on, with the lease manager's epoch of them then: not held here until the
   * manager takes them afresh (a new epoch), whatever it still believes meanwhile. */
  private readonly refusedAt = new Map<string, number | undefined>();
  private lostHandler: ((units: readonly string[]) => void) | undefined;

  /** `wholeFeed`: the one unit every contract's writes fall under; undefined: one unit per contract. */
  constructor(
    private readonly epochOf: (unit: string) => number | undefined,
    private readonly wholeFeed: string | undefined,
  ) {}

  /** Told, once per loss, the units a refusal found lost (ContractLeases stops streaming them). */
  onLost(handler: (units: readonly string[]) => void): void {
    this.lostHandler = handler;
  }

  /** Some unit was refused and not taken afresh since: a flush leaves out what is not held. */
  get anyLost(): boolean {
    return this.refusedAt.size > 0;
  }

  /** A write failed with BSF01: the units it names count as lost from now on (no write of them is
   * tried again); returns those newly lost (held here until now), which the lost handler is told. */
  refused(err: unknown): readonly string[] {
    const fresh: string[] = [];
    for (const unit of lostUnits(err)) {
      // Lost already: refused before, or the lease manager let it go (its release stopped it).
      if (this.epoch(unit) === undefined) continue;
      this.refusedAt.set(unit, this.epochOf(unit));
      fresh.push(unit);
    }
    if (fresh.length > 0) this.lostHandler?.(fresh);
    return fresh;
  }

  /** The claim of a backfill or repair of one contract (undefined: its lease is not held here). */
  claimContract(contractId: string): FenceClaim | undefined {
    const unit = this.wholeFeed ?? contractId;
    const epoch = this.epoch(unit);
    return epoch === undefined ? undefined : { units: [unit], epochs: [epoch] };
  }

  /** Every unit of the claim is still held at the epoch claimed (a write of it may still go in). */
  stillHeld(claim: FenceClaim): boolean {
    return claim.units.every((u, i) => claim.epochs[i] !== undefined && this.epoch(u) === claim.epochs[i]);
  }

  /** The epoch a write of the unit claims: the lease manager's, unless a refusal found it lost. */
  private epoch(unit: string): number | undefined {
    const epoch = this.epochOf(unit);
    if (epoch === undefined || !this.refusedAt.has(unit)) return epoch;
    if (this.refusedAt.get(unit) === epoch) return undefined;
    // Taken afresh since the refusal.
    this.refusedAt.delete(unit);
    return epoch;
  }

  /** The claim of a flush of these bars and ticks. */
  claim(bars: readonly ContractBar[], ticks: TickBatch): FenceClaim {
    if (this.wholeFeed !== undefined) return { units: [this.wholeFeed], epochs: [this.epoch(this.wholeFeed)] };
    const units = new Set<string>();
    for (const bar of bars) units.add(bar.contractId);
    // The batch's contract list is its buffer's (every contract ever buffered): only those with a tick here.
    const present = new Uint8Array(ticks.contractIds.length);
    for (let i = 0; i < ticks.length; i++) present[ticks.contract[i] as number] = 1;
    present.forEach((p, c) => {
      if (p === 1) units.add(ticks.contractIds[c] as string);
    });
    const list = [...units];
    return { units: list, epochs: list.map((u) => this.epoch(u)) };
  }

  /** The contract's lease is held (its writes may still go in). */
  holds(contractId: string): boolean {
    return this.epoch(this.wholeFeed ?? contractId) !== undefined;
  }

  /** What of a failed flush may be retried: the bars and ticks of contracts whose lease is still held
   * (the others' are the new holder's, which resumes from what is stored); `dropped` counts the ticks left out. */
  keepHeld(bars: readonly ContractBar[], ticks: TickBatch): { bars: readonly ContractBar[]; ticks: TickBatch; dropped: number } {
    const held = ticks.contractIds.map((id) => this.holds(id));
    const keptBars = bars.filter((b) => this.holds(b.contractId));
    let kept = 0;
    for (let i = 0; i < ticks.length; i++) if (held[ticks.contract[i] as number]) kept++;
    if (kept === ticks.length) return { bars: keptBars, ticks, dropped: 0 };
    const pick = <A extends Uint32Array | Float64Array | Uint8Array>(a: A, make: (n: number) => A): A => {
      const out = make(kept);
      let j = 0;
      for (let i = 0; i < ticks.length; i++) if (held[ticks.contract[i] as number]) out[j++] = a[i] as number;
      return out;
    };
    const tradeIds = ticks.tradeId;
    const pickIds = (all: readonly (string | undefined)[]): (string | undefined)[] => {
      const out = new Array<string | undefined>(kept);
      let j = 0;
      for (let i = 0; i < ticks.length; i++) if (held[ticks.contract[i] as number]) out[j++] = all[i];
      return out;
    };
    return {
      bars: keptBars,
      ticks: {
        length: kept,
        contractIds: ticks.contractIds,
        contract: pick(ticks.contract, (n) => new Uint32Array(n)),
        time: pick(ticks.time, (n) => new Float64Array(n)),
        price: pick(ticks.price, (n) => new Float64Array(n)),
        volume: pick(ticks.volume, (n) => new Float64Array(n)),
        side: pick(ticks.side, (n) => new Uint8Array(n)),
        // Not Array.filter: the buffer's id array has holes for ticks appended before its first id,
        // which filter skips, moving later ids onto earlier ticks.
        tradeId: tradeIds && pickIds(tradeIds),
        tradeNo: ticks.tradeNo && pick(ticks.tradeNo, (n) => new Float64Array(n)),
      },
      dropped: ticks.length - kept,
    };
  }
}
