'use client';
// Start / stop / emergency stop buttons of one run, and the emergency stop of every running run:
// each POSTs its /api/runs route, shows the API's error message when refused, and refreshes the page.
import { useRouter } from 'next/navigation';
import { useState } from 'react';

async function post(path: string, body?: unknown): Promise<string | null> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  if (res.ok) return null;
  const answer = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return answer?.error?.message ?? `${res.status} ${res.statusText}`;
}

function useAction(): { busy: boolean; error: string | null; run: (path: string, body?: unknown) => void } {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = (path: string, body?: unknown): void => {
    setBusy(true);
    setError(null);
    void post(path, body)
      .then((message) => {
        setError(message);
        router.refresh();
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
      .finally(() => setBusy(false));
  };
  return { busy, error, run };
}

export function RunActions({ runId, kind, status }: { readonly runId: number; readonly kind: string; readonly status: string }) {
  const { busy, error, run } = useAction();
  const paper = kind === 'paper';
  return (
    <span className="run-actions">
      {paper && (status === 'created' || status === 'stopped') && (
        <button type="button" disabled={busy} onClick={() => run(`/api/runs/${runId}/start`)}>
          Start
        </button>
      )}
      {paper && (status === 'created' || status === 'running') && (
        <button type="button" disabled={busy} onClick={() => run(`/api/runs/${runId}/stop`)}>
          Stop
        </button>
      )}
      {status === 'running' && (
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => run(`/api/runs/${runId}/emergency-stop`, { reason: 'emergency stop from the web' })}
        >
          Emergency stop
        </button>
      )}
      {error !== null && (
        <span className="action-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

export function EmergencyStopAll() {
  const { busy, error, run } = useAction();
  return (
    <span className="run-actions">
      <button
        type="button"
        className="danger"
        disabled={busy}
        onClick={() => {
          if (window.confirm('Emergency stop every running run?'))
            run('/api/runs/emergency-stop', { reason: 'emergency stop of all runs from the web' });
        }}
      >
        Emergency stop all
      </button>
      {error !== null && (
        <span className="action-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
