'use client';
// The /watchlist page: watched contracts with notes and an on/off switch, adding a stored contract,
// removing one; every change goes through /api/watchlist (which tells the ingester).
import { useState } from 'react';
import type { WireWatchlistEntry } from '@/lib/api/watchlist-schemas.ts';
import { addWatchlist, FieldError, removeWatchlist, updateWatchlist } from '@/lib/alerts/alerts-client.ts';

export interface WatchlistEditorProps {
  readonly initial: readonly WireWatchlistEntry[];
  /** Stored contracts, to add from. */
  readonly contracts: readonly string[];
}

function NotesCell({ entry, onSave }: { readonly entry: WireWatchlistEntry; readonly onSave: (notes: string) => void }) {
  const [notes, setNotes] = useState(entry.notes);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSave(notes);
      }}
    >
      <input aria-label={`Notes for ${entry.contract_id}`} value={notes} onChange={(e) => setNotes(e.target.value)} />{' '}
      <button type="submit" disabled={notes === entry.notes}>
        Save
      </button>
    </form>
  );
}

export function WatchlistEditor({ initial, contracts }: WatchlistEditorProps) {
  const [entries, setEntries] = useState(initial);
  const unwatched = contracts.filter((c) => !entries.some((e) => e.contract_id === c));
  const [adding, setAdding] = useState(unwatched[0] ?? '');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | null>(null);
  const report = (err: unknown): void => setError(err instanceof FieldError ? err.message : String(err));
  const replace = (entry: WireWatchlistEntry): void =>
    setEntries((rows) => rows.map((r) => (r.contract_id === entry.contract_id ? entry : r)));

  const onAdd = (event: React.FormEvent): void => {
    event.preventDefault();
    setError(null);
    addWatchlist(adding, notes)
      .then((entry) => {
        setEntries((rows) => [...rows, entry].sort((a, b) => (a.contract_id < b.contract_id ? -1 : 1)));
        setNotes('');
        setAdding(unwatched.find((c) => c !== entry.contract_id) ?? '');
      })
      .catch(report);
  };

  return (
    <>
      {entries.length === 0 ? (
        <p className="muted" data-testid="watchlist-empty">
          No contracts watched yet.
        </p>
      ) : (
        <table className="contract-table" data-testid="watchlist">
          <thead>
            <tr>
              <th>Contract</th>
              <th>Added</th>
              <th>Notes</th>
              <th>Active</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.contract_id} data-testid="watchlist-row" data-contract={e.contract_id}>
                <td>
                  <a href={`/trends?contract=${encodeURIComponent(e.contract_id)}`}>{e.contract_id}</a>
                </td>
                <td>{e.added_at.slice(0, 16).replace('T', ' ')}</td>
                <td>
                  <NotesCell
                    entry={e}
                    onSave={(text) => void updateWatchlist(e.contract_id, { notes: text }).then(replace).catch(report)}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    onClick={() => void updateWatchlist(e.contract_id, { is_active: !e.is_active }).then(replace).catch(report)}
                  >
                    {e.is_active ? 'on' : 'off'}
                  </button>
                </td>
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      void removeWatchlist(e.contract_id)
                        .then(() => setEntries((rows) => rows.filter((r) => r.contract_id !== e.contract_id)))
                        .catch(report)
                    }
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="filter-form" onSubmit={onAdd} data-testid="watchlist-add">
        <label>
          Contract{' '}
          <select name="contract_id" value={adding} onChange={(e) => setAdding(e.target.value)}>
            {unwatched.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Notes <input name="notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
        </label>
        <button type="submit" disabled={adding === ''}>
          Watch
        </button>
      </form>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
