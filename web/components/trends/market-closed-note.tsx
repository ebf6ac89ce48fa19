'use client';
// Above the chart while the contract's market is closed: why no candle moves, and when it opens next.
import { useEffect, useState } from 'react';
import type { SessionCalendarSpec } from '@barstream/core';
import { marketClosedText, marketStatus } from '@/lib/market-status.ts';

/** How often the note re-checks the clock: an open or close shows within this. */
const RECHECK_MS = 30_000;

export function MarketClosedNote({ calendar }: { readonly calendar: SessionCalendarSpec | null }) {
  // Computed after mount: the server's clock and the browser's may differ at the boundary.
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    const check = (): void => setText(marketClosedText(marketStatus(calendar, Date.now())));
    check();
    const timer = setInterval(check, RECHECK_MS);
    return () => clearInterval(timer);
  }, [calendar]);
  if (!text) return null;
  return (
    <p className="market-closed" role="status" data-testid="market-closed">
      {text}
    </p>
  );
}
