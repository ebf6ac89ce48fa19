'use client';
// The overview table: one row per contract, each linking to its trends chart. Rendered with the
// stored figures, then kept current from the broadcaster's trades and signals (no polling).
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { broadcasterUrl, type BroadcasterEndpoint } from '@/lib/chart/broadcaster-endpoint.ts';
import { BroadcasterSocket, type ConnectionStatus } from '@/lib/chart/broadcaster-socket.ts';
import { formatChange, formatPrice } from '@/lib/format.ts';
import { marketClosedText } from '@/lib/market-status.ts';
import { applyLiveMessage } from '@/lib/overview-live.ts';
import type { ContractSummary } from '@/lib/queries/market-summary.ts';
import { trendsHref } from '@barstream/core';
import { ConnectionBadge } from '../trends/connection-badge.tsx';
import { TickAge } from './tick-age.tsx';

export interface ContractTableProps {
  readonly rows: readonly ContractSummary[];
  /** Contract id → the timeframe its chart link opens. */
  readonly timeframes: Readonly<Record<string, string>>;
  readonly renderedAt: string;
  readonly broadcaster: BroadcasterEndpoint;
}

function direction(change: number | null): string {
  if (change === null || change === 0) return 'flat';
  return change > 0 ? 'up' : 'down';
}

/** The rows, following the broadcaster; a burst of trades re-renders once per frame. */
function useLiveRows(
  initial: readonly ContractSummary[],
  broadcaster: BroadcasterEndpoint,
): [readonly ContractSummary[], ConnectionStatus] {
  const [rows, setRows] = useState(initial);
  const [status, setStatus] = useState<ConnectionStatus>('reconnecting');
  const latest = useRef(initial);
  const ids = initial.map((r) => r.contract.id).join('|');
  const endpointKey = 'url' in broadcaster ? broadcaster.url : `:${broadcaster.port}`;
  useEffect(() => {
    let frame: number | undefined;
    const socket = new BroadcasterSocket({
      url: broadcasterUrl(broadcaster, window.location),
      subscriptions: ids
        .split('|')
        .filter(Boolean)
        .flatMap((contract_id) => [
          { type: 'subscribe', channel: 'ticks', contract_id },
          { type: 'subscribe', channel: 'signals', contract_id },
        ]),
      onMessage: (message) => {
        const next = applyLiveMessage(latest.current, message);
        if (next === latest.current) return;
        latest.current = next;
        frame ??= requestAnimationFrame(() => {
          frame = undefined;
          setRows(latest.current);
        });
      },
      onStatus: setStatus,
      // Trades missed while disconnected are superseded by the next one: nothing to re-read.
      onOpen: () => undefined,
    });
    socket.start();
    return () => {
      socket.stop();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
    // broadcaster is a new object with each server render: tracked through its key, the rows through their ids.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- endpointKey stands for broadcaster
  }, [ids, endpointKey]);
  return [rows, status];
}

export function ContractTable({ rows: initial, timeframes, renderedAt, broadcaster }: ContractTableProps) {
  const [rows, status] = useLiveRows(initial, broadcaster);
  return (
    <>
      <p className="overview-status">
        Prices stream live <ConnectionBadge status={status} />
      </p>
      <table className="contract-table" data-testid="contract-list">
        <thead>
          <tr>
            <th scope="col">Contract</th>
            <th scope="col" className="num">
              Last
            </th>
            <th scope="col" className="num">
              Session change
            </th>
            <th scope="col">Last tick</th>
            <th scope="col">Last signal</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const tick = r.contract.tick_size;
            const href = trendsHref(r.contract.id, timeframes[r.contract.id] ?? '1m');
            return (
              <tr key={r.contract.id} data-testid="contract-row" data-contract={r.contract.id}>
                <th scope="row">
                  <Link href={href} className="contract-link">
                    <span className="contract-id">{r.contract.id}</span>
                    <span className="muted">{r.contract.name || r.contract.symbol}</span>
                  </Link>
                </th>
                <td className="num" data-testid="last-price">
                  {formatPrice(r.lastPrice, tick)}
                </td>
                <td
                  className={`num change-${direction(r.change)}`}
                  data-testid="session-change"
                  title={
                    r.sessionOpenAt
                      ? `since the session opened at ${r.sessionOpenAt} (${formatPrice(r.sessionOpenPrice, tick)})`
                      : 'no session calendar'
                  }
                >
                  {formatChange(r.change, r.changePercent, tick)}
                </td>
                <td>
                  <TickAge at={r.lastTickAt} renderedAt={renderedAt} />
                  {marketClosedText(r.market) ? (
                    <span className="market-closed muted" data-testid="market-closed">
                      {' '}
                      · {marketClosedText(r.market)}
                    </span>
                  ) : null}
                </td>
                <td>
                  {r.lastSignal ? (
                    <Link href={trendsHref(r.contract.id, r.lastSignal.timeframe)} title={r.lastSignal.timestamp}>
                      {r.lastSignal.signalType} · {r.lastSignal.analyzerId} · {r.lastSignal.timeframe}
                    </Link>
                  ) : (
                    <span className="muted">none yet</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
