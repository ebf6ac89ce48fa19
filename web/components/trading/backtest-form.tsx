'use client';
// The backtest form: strategy, contract, timeframe and range → POST /api/backtests; then the run's
// progress, read on each trade_update from the broadcaster and by polling /api/runs/{id} (so it moves
// without the broadcaster too), and on completion the run page.
import { tradeUpdateMessageSchema } from '@barstream/core';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useState } from 'react';
import { broadcasterUrl, type BroadcasterEndpoint } from '@/lib/chart/broadcaster-endpoint.ts';
import { BroadcasterSocket } from '@/lib/chart/broadcaster-socket.ts';

export interface BacktestFormProps {
  readonly strategies: readonly { readonly id: string; readonly contractId: string; readonly timeframe: string }[];
  readonly contracts: readonly string[];
  readonly timeframes: readonly string[];
  readonly broadcaster: BroadcasterEndpoint;
  /** Default range, ISO dates. */
  readonly from: string;
  readonly to: string;
}

interface Progress {
  readonly runId: number;
  readonly contractId: string;
  readonly status: string;
  readonly progress: number;
  readonly error: string | null;
}

/** How often the progress is re-read besides each trade_update. */
const POLL_MS = 1_000;

async function readProgress(runId: number): Promise<Progress | null> {
  const res = await fetch(`/api/runs/${runId}`, { cache: 'no-store' });
  if (!res.ok) return null;
  const { run } = (await res.json()) as { run: { contract_id: string; status: string; progress: number; error: string | null } };
  return { runId, contractId: run.contract_id, status: run.status, progress: run.progress, error: run.error };
}

export function BacktestForm({ strategies, contracts, timeframes, broadcaster, from, to }: BacktestFormProps) {
  const router = useRouter();
  const first = strategies[0];
  const [strategyId, setStrategyId] = useState(first?.id ?? '');
  const [contract, setContract] = useState(first?.contractId ?? contracts[0] ?? '');
  const [timeframe, setTimeframe] = useState(first?.timeframe ?? timeframes[0] ?? '');
  const [range, setRange] = useState({ from, to });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);

  const runId = progress?.runId;
  const contractId = progress?.contractId;
  useEffect(() => {
    if (runId === undefined || contractId === undefined) return;
    let stopped = false;
    const update = (): void => {
      void readProgress(runId).then((p) => {
        if (!stopped && p) setProgress(p);
      });
    };
    const socket = new BroadcasterSocket({
      url: broadcasterUrl(broadcaster, window.location),
      subscriptions: [{ type: 'subscribe', channel: 'trades', contract_id: contractId }],
      onMessage: (message) => {
        const m = tradeUpdateMessageSchema.safeParse(message);
        if (m.success && m.data.run_id === runId) update();
      },
      onStatus: () => {},
      onOpen: () => update(),
    });
    socket.start();
    const timer = setInterval(update, POLL_MS);
    return () => {
      stopped = true;
      socket.stop();
      clearInterval(timer);
    };
  }, [runId, contractId, broadcaster]);

  const done = progress?.status === 'completed';
  useEffect(() => {
    if (done && runId !== undefined) router.push(`/runs/${runId}`);
  }, [done, runId, router]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body = { strategy_id: strategyId, contract, timeframe, from: range.from, to: range.to };
    void fetch('/api/backtests', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(async (res) => {
        const answer = (await res.json()) as { run_id?: number; error?: { message: string } };
        if (!res.ok || answer.run_id === undefined) {
          setError(answer.error?.message ?? `${res.status} ${res.statusText}`);
          return;
        }
        setProgress({ runId: answer.run_id, contractId: contract, status: 'created', progress: 0, error: null });
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
      .finally(() => setBusy(false));
  };

  return (
    <>
      <form className="backtest-form" onSubmit={submit} aria-busy={busy}>
        <label>
          Strategy
          <select
            name="strategy"
            value={strategyId}
            onChange={(e) => {
              setStrategyId(e.target.value);
              const s = strategies.find((x) => x.id === e.target.value);
              if (s) {
                setContract(s.contractId);
                setTimeframe(s.timeframe);
              }
            }}
          >
            {strategies.map((s) => (
              <option key={s.id} value={s.id}>
                {s.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Contract
          <select name="contract" value={contract} onChange={(e) => setContract(e.target.value)}>
            {[...new Set([...contracts, contract])].filter(Boolean).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Timeframe
          <select name="timeframe" value={timeframe} onChange={(e) => setTimeframe(e.target.value)}>
            {[...new Set([...timeframes, timeframe])].filter(Boolean).map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" name="from" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} required />
        </label>
        <label>
          To
          <input type="date" name="to" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} required />
        </label>
        <button
          type="submit"
          disabled={busy || strategyId === '' || (progress !== null && !['completed', 'failed'].includes(progress.status))}
        >
          Run backtest
        </button>
      </form>
      {error !== null && (
        <p className="action-error" role="alert">
          {error}
        </p>
      )}
      {progress !== null && (
        <div className="backtest-progress" data-testid="backtest-progress">
          <p>
            <Link href={`/runs/${progress.runId}`}>Run {progress.runId}</Link>:{' '}
            <span className={`status status-${progress.status}`} data-testid="backtest-status">
              {progress.status}
            </span>{' '}
            <progress max={1} value={progress.progress} />{' '}
            <span data-testid="backtest-percent">{(progress.progress * 100).toFixed(0)}%</span>
          </p>
          {progress.error !== null && <p className="action-error">{progress.error}</p>}
        </div>
      )}
    </>
  );
}
