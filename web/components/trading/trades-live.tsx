'use client';
// Keeps a trading page current: subscribes to the broadcaster's `trades` channel and re-renders the
// page (router.refresh) on each trade_update of the runs it shows; while `pollMs` is set (a run not
// finished) it also refreshes on a timer, so the page moves even when the broadcaster is unreachable.
// A tick-model paper run's live marks (`live: true`: nothing stored, so nothing to re-read) refresh
// nothing; with `showLiveMark` the latest one is shown until the next stored write.
import { type TradeUpdateMessage, tradeUpdateMessageSchema } from '@barstream/core';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { broadcasterUrl, type BroadcasterEndpoint } from '@/lib/chart/broadcaster-endpoint.ts';
import { BroadcasterSocket } from '@/lib/chart/broadcaster-socket.ts';

export interface TradesLiveProps {
  readonly broadcaster: BroadcasterEndpoint;
  /** The contract whose runs matter, or '*' for every contract. */
  readonly contractId: string;
  /** Only this run's updates (absent: any run's). */
  readonly runId?: number;
  /** Refresh this often too (absent: only on trade_update). */
  readonly pollMs?: number;
  /** Show the run's latest live mark (equity marked to the latest trade between closed bars). */
  readonly showLiveMark?: boolean;
}

/** Updates closer together than this are coalesced into one refresh (a backtest NOTIFYs per batch). */
const COALESCE_MS = 250;

export function TradesLive({ broadcaster, contractId, runId, pollMs, showLiveMark }: TradesLiveProps) {
  const router = useRouter();
  const [mark, setMark] = useState<TradeUpdateMessage | null>(null);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    const refresh = (): void => {
      if (pending.current !== undefined) return;
      pending.current = setTimeout(() => {
        pending.current = undefined;
        router.refresh();
      }, COALESCE_MS);
    };
    const socket = new BroadcasterSocket({
      url: broadcasterUrl(broadcaster, window.location),
      subscriptions: [{ type: 'subscribe', channel: 'trades', contract_id: contractId }],
      onMessage: (message) => {
        const update = tradeUpdateMessageSchema.safeParse(message);
        if (!update.success || (runId !== undefined && update.data.run_id !== runId)) return;
        if (update.data.live === true) {
          setMark(update.data);
          return;
        }
        setMark(null);
        refresh();
      },
      onStatus: () => {},
      // Whatever was missed while the socket was down is re-read by a refresh.
      onOpen: (downSince) => {
        if (downSince !== undefined) refresh();
      },
    });
    socket.start();
    const timer = pollMs === undefined ? undefined : setInterval(refresh, pollMs);
    return () => {
      socket.stop();
      clearInterval(timer);
      clearTimeout(pending.current);
      pending.current = undefined;
    };
  }, [broadcaster, contractId, runId, pollMs, router]);
  if (!showLiveMark || mark === null) return null;
  return (
    <p className="muted" data-testid="live-mark">
      Live equity {mark.equity} (marked {mark.through?.slice(11, 23)} UTC)
    </p>
  );
}
