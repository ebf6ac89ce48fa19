'use client';
// The /rules page's destinations: the list (secrets never shown: "secret stored") with on/off switches,
// and a form adding one, its settings as JSON checked by the API per kind.
import { useState } from 'react';
import type { WireDestination } from '@/lib/api/destination-schemas.ts';
import { createDestination, deleteDestination, FieldError, replaceDestination } from '@/lib/alerts/alerts-client.ts';

const CONFIG_EXAMPLES: Readonly<Record<string, string>> = {
  webhook: '{ "url": "https://example.com/hooks/barstream", "format": "plain" }',
  telegram: '{ "chat_id": "@my_channel" }',
  email: '{ "to": "me@example.com", "from": "barstream@example.com", "host": "smtp.example.com", "port": 587 }',
};

export function DestinationList({ initial }: { readonly initial: readonly WireDestination[] }) {
  const [rows, setRows] = useState(initial);
  const [name, setName] = useState('');
  const [kind, setKind] = useState('webhook');
  const [config, setConfig] = useState(CONFIG_EXAMPLES.webhook ?? '{}');
  const [secret, setSecret] = useState('');
  const [minSeverity, setMinSeverity] = useState('info');
  const [error, setError] = useState<string | null>(null);

  const onAdd = (event: React.FormEvent): void => {
    event.preventDefault();
    setError(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(config);
    } catch {
      setError('config: is not JSON');
      return;
    }
    createDestination({ name, kind, config: parsed, min_severity: minSeverity, ...(secret === '' ? {} : { secret }) })
      .then((d) => {
        setRows((current) => [...current, d].sort((a, b) => (a.name < b.name ? -1 : 1)));
        setName('');
        setSecret('');
      })
      .catch((err: unknown) => setError(err instanceof FieldError ? err.message : String(err)));
  };
  const onToggle = (d: WireDestination): void => {
    // No secret in the body: the stored one is kept.
    const body = { name: d.name, kind: d.kind, config: d.config, min_severity: d.min_severity, is_active: !d.is_active };
    replaceDestination(d.destination_id, body)
      .then((updated) => setRows((current) => current.map((r) => (r.destination_id === updated.destination_id ? updated : r))))
      .catch((err: unknown) => setError(err instanceof FieldError ? err.message : String(err)));
  };
  const onDelete = (d: WireDestination): void => {
    deleteDestination(d.destination_id)
      .then(() => setRows((current) => current.filter((r) => r.destination_id !== d.destination_id)))
      .catch((err: unknown) => setError(err instanceof FieldError ? err.message : String(err)));
  };

  return (
    <>
      <table className="contract-table" data-testid="destination-list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Settings</th>
            <th>Min. severity</th>
            <th>Active</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.destination_id} data-testid="destination-row">
              <td>{d.name}</td>
              <td>{d.kind}</td>
              <td>
                <code>{JSON.stringify(d.config)}</code> {d.has_secret ? <span className="muted">secret stored</span> : null}
              </td>
              <td>{d.min_severity}</td>
              <td>
                <button type="button" onClick={() => onToggle(d)} data-testid="destination-toggle">
                  {d.is_active ? 'on' : 'off'}
                </button>
              </td>
              <td>
                <button type="button" onClick={() => onDelete(d)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="rule-form" onSubmit={onAdd} data-testid="destination-form">
        <h2>New destination</h2>
        <label>
          Name <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Kind{' '}
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              setConfig(CONFIG_EXAMPLES[e.target.value] ?? '{}');
            }}
          >
            <option value="webhook">webhook</option>
            <option value="telegram">telegram</option>
            <option value="email">email</option>
          </select>
        </label>
        <label className="rule-yaml">
          Settings (JSON)
          <textarea rows={3} spellCheck={false} value={config} onChange={(e) => setConfig(e.target.value)} />
        </label>
        <label>
          Secret (signing key, bot token or SMTP password; never shown again){' '}
          <input type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} />
        </label>
        <label>
          Minimum severity{' '}
          <select value={minSeverity} onChange={(e) => setMinSeverity(e.target.value)}>
            <option value="info">info</option>
            <option value="warning">warning</option>
            <option value="critical">critical</option>
          </select>
        </label>
        {error !== null && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit">Add destination</button>
      </form>
    </>
  );
}
