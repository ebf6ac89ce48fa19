'use client';
// How long ago the last tick arrived, counting up every second; stale feeds turn amber.
import { useEffect, useState } from 'react';
import { formatAge } from '@/lib/format.ts';

/** Older than this, a contract's feed is probably stalled (or its market closed). */
const STALE_AFTER_MS = 60_000;

export function TickAge({ at, renderedAt }: { readonly at: string | null; readonly renderedAt: string }) {
  // The server's clock until the first tick of the browser's: the two render the same text.
  const [now, setNow] = useState(() => Date.parse(renderedAt));
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- switches to the browser's clock once, after hydration
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  if (at === null) return <span className="muted">no ticks</span>;
  const age = now - Date.parse(at);
  return (
    <time dateTime={at} title={at} className={age > STALE_AFTER_MS ? 'stale' : undefined} data-testid="tick-age">
      {formatAge(age)} ago
    </time>
  );
}
