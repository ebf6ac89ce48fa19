'use client';
// The /alerts list: rendered with the stored alerts, then kept current from the broadcaster (each
// alert_created re-reads the filtered page, so rows, filters and delivery states come from one place),
// with read state, older pages and "mark all read" for the filter.
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { alertCreatedMessageSchema } from '@barstream/core';
import type { AlertsResponse, WireAlert } from '@/lib/api/alert-schemas.ts';
import { alertHeadline } from '@/lib/alerts/alert-text.ts';
import { fetchAlerts, FieldError, markAlert, markAlerts } from '@/lib/alerts/alerts-client.ts';
import { broadcasterUrl, type BroadcasterEndpoint } from '@/lib/chart/broadcaster-endpoint.ts';
import { BroadcasterSocket, type ConnectionStatus } from '@/lib/chart/broadcaster-socket.ts';
import { ConnectionBadge } from '../trends/connection-badge.tsx';

export interface AlertListProps {
  readonly initial: AlertsResponse;
  /** The page's filter as query parameters of /api/alerts (contract_id, rule, severity, is_read). */
  readonly filter: Readonly<Record<string, string>>;
  readonly broadcaster: BroadcasterEndpoint;
}

/** The filter's fields "mark all read" takes (the read state is what it changes). */
const MARK_FIELDS = ['contract_id', 'rule', 'severity', 'timeframe', 'from', 'to'];

function price(v: number | null): string {
  return v === null ? '–' : String(v);
}

function AlertRow({ alert, onMark }: { readonly alert: WireAlert; readonly onMark: (a: WireAlert) => void }) {
  const retracted = alert.retracted_at !== null;
  return (
    <tr
      className={`${alert.is_read ? 'alert-read' : 'alert-unread'}${retracted ? ' alert-retracted' : ''}`}
      data-testid="alert-row"
      data-alert-id={alert.alert_id}
    >
      <td>
        <span className={`severity severity-${alert.severity}`}>{alert.severity}</span>
      </td>
      <td>
        {retracted && (
          <span className="retracted-badge" data-testid="alert-retracted" title={`signal withdrawn ${alert.retracted_at}`}>
            WITHDRAWN
          </span>
        )}{' '}
        <strong>{alertHeadline(alert)}</strong>
        <div className="muted">{alert.rule}</div>
      </td>
      <td>
        <time dateTime={alert.bar_time}>{alert.bar_time.replace('T', ' ').replace(/:00\.000Z$|\.000Z$/, ' UTC')}</time>
      </td>
      <td className="num">{price(alert.entry_price)}</td>
      <td className="num">{price(alert.stop_loss)}</td>
      <td className="num">{price(alert.target)}</td>
      <td className="num">{Math.round(alert.confidence * 100)}%</td>
      <td data-testid="alert-deliveries">
        {alert.deliveries.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          alert.deliveries.map((d) => (
            <span
              key={d.destination_id}
              className={`delivery delivery-${d.status}`}
              title={d.last_error ?? `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`}
            >
              {d.destination}: {d.status}
            </span>
          ))
        )}
        {alert.retractions.length > 0 && (
          <div data-testid="alert-retractions">
            {alert.retractions.map((d) => (
              <span key={d.destination_id} className={`delivery delivery-${d.status}`} title={d.last_error ?? 'retraction'}>
                withdrawal to {d.destination}: {d.status}
              </span>
            ))}
          </div>
        )}
      </td>
      <td>
        <Link href={alert.link}>Chart</Link>{' '}
        <button type="button" onClick={() => onMark(alert)}>
          {alert.is_read ? 'Mark unread' : 'Mark read'}
        </button>
      </td>
    </tr>
  );
}

export function AlertList({ initial, filter, broadcaster }: AlertListProps) {
  const [alerts, setAlerts] = useState<readonly WireAlert[]>(initial.alerts);
  const [nextBefore, setNextBefore] = useState(initial.next_before_id);
  const [status, setStatus] = useState<ConnectionStatus>('reconnecting');
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(false);
  const again = useRef(false);
  const filterKey = new URLSearchParams(filter).toString();

  /** Re-reads the first page; a call while one runs makes it run once more after (no reads lost, none piled up). */
  const reload = useCallback((): void => {
    if (loading.current) {
      again.current = true;
      return;
    }
    loading.current = true;
    void (async () => {
      do {
        again.current = false;
        try {
          const page = await fetchAlerts(new URLSearchParams(filterKey));
          setAlerts(page.alerts);
          setNextBefore(page.next_before_id);
          setError(null);
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err));
        }
      } while (again.current);
      loading.current = false;
    })();
  }, [filterKey]);

  const endpointKey = 'url' in broadcaster ? broadcaster.url : `:${broadcaster.port}`;
  useEffect(() => {
    const socket = new BroadcasterSocket({
      url: broadcasterUrl(broadcaster, window.location),
      subscriptions: [{ type: 'subscribe', channel: 'alerts', contract_id: '*' }],
      onMessage: (message) => {
        if (alertCreatedMessageSchema.safeParse(message).success) reload();
      },
      onStatus: setStatus,
      // After a lost connection, alerts may have arrived unseen: read the page again.
      onOpen: (downSince) => {
        if (downSince !== undefined) reload();
      },
    });
    socket.start();
    return () => socket.stop();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- endpointKey stands for broadcaster
  }, [endpointKey, reload]);

  const onMark = (a: WireAlert): void => {
    markAlert(a.alert_id, !a.is_read)
      .then((updated) => setAlerts((rows) => rows.map((r) => (r.alert_id === updated.alert_id ? updated : r))))
      .catch((err: unknown) => setError(err instanceof FieldError ? err.message : String(err)));
  };
  const onMarkAll = (): void => {
    const body = Object.fromEntries(Object.entries(filter).filter(([k]) => MARK_FIELDS.includes(k)));
    markAlerts(body, true)
      .then(reload)
      .catch((err: unknown) => setError(err instanceof FieldError ? err.message : String(err)));
  };
  const onOlder = (): void => {
    if (nextBefore === null) return;
    const q = new URLSearchParams(filterKey);
    q.set('before_id', String(nextBefore));
    fetchAlerts(q)
      .then((page) => {
        setAlerts((rows) => [...rows, ...page.alerts]);
        setNextBefore(page.next_before_id);
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };

  return (
    <>
      <p className="overview-status">
        New alerts arrive live <ConnectionBadge status={status} />{' '}
        <button type="button" onClick={onMarkAll} data-testid="mark-all-read">
          Mark all read
        </button>
      </p>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {alerts.length === 0 ? (
        <p className="muted" data-testid="alerts-empty">
          No alerts match. Rules fire on closed bars of watched contracts; see <Link href="/rules">Rules</Link>.
        </p>
      ) : (
        <table className="contract-table alert-table" data-testid="alert-list">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Alert</th>
              <th>Bar</th>
              <th>Entry</th>
              <th>Stop</th>
              <th>Target</th>
              <th>Confidence</th>
              <th>Delivery</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <AlertRow key={a.alert_id} alert={a} onMark={onMark} />
            ))}
          </tbody>
        </table>
      )}
      {nextBefore !== null && (
        <button type="button" onClick={onOlder}>
          Older alerts
        </button>
      )}
    </>
  );
}
