'use client';
// Above the chart while the contract's market is closed: why no candle moves, and when it opens next.
import { useEffect, useState } from 'react';
import type { SessionCalendarSpec } from '@barstream/core';
import { marketClosedText, marketStatus } from '@/lib/market-status.ts';

/** How often the note re-checks the clock: an open or close shows within this. */
const RECHECK_MS = 30_000;

interface Checked {
  /** 'open' | 'closed', or 'unknown' for a calendar without exchange hours. */
  readonly state: string;
  readonly text: string | null;
}

export function MarketClosedNote({ calendar }: { readonly calendar: SessionCalendarSpec | null }) {
  // Computed after mount: the server's clock and the browser's may differ at the boundary.
  const [checked, setChecked] = useState<Checked | null>(null);
  useEffect(() => {
    const check = (): void => {
      const status = marketStatus(calendar, Date.now());
      setChecked({ state: status === null ? 'unknown' : status.open ? 'open' : 'closed', text: marketClosedText(status) });
    };
    check();
    const timer = setInterval(check, RECHECK_MS);
    return () => clearInterval(timer);
  }, [calendar]);
  if (!checked) return null;
  return checked.text ? (
    <p className="market-closed" role="status" data-testid="market-closed" data-market={checked.state}>
      {checked.text}
    </p>
  ) : (
    <span hidden data-testid="market-open" data-market={checked.state} />
  );
}
