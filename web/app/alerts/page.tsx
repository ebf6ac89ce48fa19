// /alerts?contract_id=…&rule=…&severity=…&is_read=…&from=…&to=…: alerts newest first, live from the broadcaster.
import type { Metadata } from 'next';
import { AlertList } from '@/components/alerts/alert-list.tsx';
import { ErrorState } from '@/components/error-state.tsx';
import { loadAlertsView } from '@/lib/alerts/alerts-view.ts';
import type { SearchParams } from '@/lib/trends-view.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Alerts' };

const SEVERITIES = ['info', 'warning', 'critical'];

function Choice({ name, label, options, value }: { name: string; label: string; options: readonly string[]; value: string | undefined }) {
  return (
    <label>
      {label}{' '}
      <select name={name} defaultValue={value ?? ''}>
        <option value="">all</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

export default async function AlertsPage({ searchParams }: { readonly searchParams: Promise<SearchParams> }) {
  const view = await loadAlertsView(await searchParams);
  return (
    <section className="alerts-page">
      <h1>Alerts</h1>
      <form method="get" action="/alerts" className="filter-form" data-testid="alert-filters">
        <Choice name="contract_id" label="Contract" options={view.contracts} value={view.filter.contract_id} />
        <Choice name="rule" label="Rule" options={view.rules} value={view.filter.rule} />
        <Choice name="severity" label="Severity" options={SEVERITIES} value={view.filter.severity} />
        <label>
          Read{' '}
          <select name="is_read" defaultValue={view.filter.is_read ?? ''}>
            <option value="">all</option>
            <option value="false">unread</option>
            <option value="true">read</option>
          </select>
        </label>
        <label>
          Bars from <input type="date" name="from" defaultValue={view.filter.from?.slice(0, 10) ?? ''} />
        </label>
        <label>
          to <input type="date" name="to" defaultValue={view.filter.to?.slice(0, 10) ?? ''} />
        </label>
        <button type="submit">Filter</button>
      </form>
      {view.error !== null && (
        <ErrorState title="Cannot list these alerts" message={view.error}>
          <a href="/alerts">Show every alert</a>
        </ErrorState>
      )}
      {view.error === null && view.broadcaster && (
        <AlertList
          key={new URLSearchParams(view.filter).toString()}
          initial={view.initial}
          filter={view.filter}
          broadcaster={view.broadcaster}
        />
      )}
    </section>
  );
}
