'use client';
// The trends chart's alert markers: a markers layer of their own on the candles, filled from
// /api/alerts for the chart's contract and timeframe, and refetched when the alert toasts announce an
// alert of this chart (ALERT_EVENT), so the chart needs no socket of its own for them.
import { type RefObject, useEffect } from 'react';
import { ALERT_EVENT, type AlertEventDetail, alertMarkers } from '@/lib/alerts/alert-markers.ts';
import type { ChartSurface } from '@/lib/chart/chart-surface.ts';

/** Read by the end-to-end tests: the alert markers drawn. */
interface AlertsTestHook {
  markers(): { id?: string; time: unknown; text?: string }[];
}
declare global {
  interface Window {
    __barstreamAlerts?: AlertsTestHook;
  }
}

export function useAlertMarkers(surfaceRef: RefObject<ChartSurface | null>, contractId: string, timeframe: string): void {
  useEffect(() => {
    const surface = surfaceRef.current;
    if (!surface) return undefined;
    const layer = surface.createMarkerLayer();
    let drawn: ReturnType<typeof alertMarkers> = [];
    let stopped = false;
    const load = (): void => {
      // Imported here, not above: the alerts client stays out of the scripts the chart waits for
      // (web/lib/alerts/chart-alerts-read.ts).
      import('@/lib/alerts/chart-alerts-read.ts')
        .then(({ fetchChartAlerts }) => fetchChartAlerts(contractId, timeframe))
        .then(
          (alerts) => {
            if (stopped) return;
            drawn = alertMarkers(alerts);
            layer.setMarkers(drawn);
          },
          // Markers are a garnish: a failed read is retried by the next alert's refetch.
          () => undefined,
        );
    };
    const onAlert = (event: Event): void => {
      const detail = (event as CustomEvent<AlertEventDetail>).detail;
      if (detail.contract_id === contractId && detail.timeframe === timeframe) load();
    };
    const hook: AlertsTestHook = { markers: () => [...drawn] };
    window.__barstreamAlerts = hook;
    window.addEventListener(ALERT_EVENT, onAlert);
    load();
    return () => {
      stopped = true;
      window.removeEventListener(ALERT_EVENT, onAlert);
      layer.detach();
      if (window.__barstreamAlerts === hook) delete window.__barstreamAlerts;
    };
  }, [surfaceRef, contractId, timeframe]);
}
