'use client';
// Toasts for new alerts on every page: one socket subscribed to ('alerts', '*'), each alert_created
// shown (until dismissed) with a link to the chart at its bar and to /alerts, and announced as ALERT_EVENT
// (the trends chart's alert markers refetch on it).
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { alertCreatedMessageSchema, type AlertCreatedMessage } from '@barstream/core';
import { broadcasterUrl, type BroadcasterEndpoint } from '@/lib/chart/broadcaster-endpoint.ts';
import { BroadcasterSocket } from '@/lib/chart/broadcaster-socket.ts';
import { ALERT_EVENT, type AlertEventDetail } from '@/lib/alerts/alert-markers.ts';
import { alertHeadline } from '@/lib/alerts/alert-text.ts';

/** Toasts on screen at once; older ones give way (all of them are on /alerts). A toast stays until
 * dismissed or pushed out: a trader who looked away still sees what arrived. */
const MAX_TOASTS = 4;

export function AlertToasts({ broadcaster }: { readonly broadcaster: BroadcasterEndpoint }) {
  const [toasts, setToasts] = useState<readonly AlertCreatedMessage[]>([]);
  const endpointKey = 'url' in broadcaster ? broadcaster.url : `:${broadcaster.port}`;
  useEffect(() => {
    const socket = new BroadcasterSocket({
      url: broadcasterUrl(broadcaster, window.location),
      subscriptions: [{ type: 'subscribe', channel: 'alerts', contract_id: '*' }],
      onMessage: (message) => {
        const parsed = alertCreatedMessageSchema.safeParse(message);
        if (!parsed.success) return;
        const alert = parsed.data;
        const detail: AlertEventDetail = { contract_id: alert.contract_id, timeframe: alert.timeframe };
        window.dispatchEvent(new CustomEvent(ALERT_EVENT, { detail }));
        setToasts((current) => [alert, ...current.filter((t) => t.alert_id !== alert.alert_id)].slice(0, MAX_TOASTS));
      },
      onStatus: () => undefined,
      // Alerts missed while disconnected are listed on /alerts; a toast is only for what arrives now.
      onOpen: () => undefined,
    });
    socket.start();
    return () => socket.stop();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- endpointKey stands for broadcaster
  }, [endpointKey]);
  if (toasts.length === 0) return null;
  return (
    <div className="alert-toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.alert_id} className={`alert-toast severity-${t.severity}`} data-testid="alert-toast">
          <button
            type="button"
            className="alert-toast-close"
            aria-label="Dismiss"
            onClick={() => setToasts((current) => current.filter((x) => x.alert_id !== t.alert_id))}
          >
            ×
          </button>
          <strong>{alertHeadline(t)}</strong>
          <span>
            {t.rule} · {t.severity}
            {t.entry_price === null ? '' : ` · entry ${t.entry_price}`}
          </span>
          <span className="alert-toast-links">
            <Link href={t.link}>Chart</Link> <Link href="/alerts">All alerts</Link>
          </span>
        </div>
      ))}
    </div>
  );
}
