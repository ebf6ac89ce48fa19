'use client';
// Labelling mode of the trends chart: while on, a click on a candle cycles that bar's label (none →
// uptrend start → downtrend start → none) through the API, the labels are drawn as markers on a layer
// of their own, and the chosen detector's score over them is fetched again after every change.
import { DEFAULT_SCORE_K, type DetectorId, type TrendLabelType } from '@barstream/core';
import type { SeriesMarker, Time } from 'lightweight-charts';
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import type { ScoreResponse, WireTrendLabel } from '@/lib/api/trend-label-schemas.ts';
import type { ChartSurface } from '@/lib/chart/chart-surface.ts';
import { saveAuthor, storedAuthor } from '@/lib/labels/author-store.ts';
import { deleteTrendLabel, fetchScore, fetchTrendLabels, saveTrendLabel } from '@/lib/labels/label-api.ts';
import { nextLabelType } from '@/lib/labels/label-cycle.ts';
import { labelMarkers } from '@/lib/labels/label-markers.ts';

export interface TrendLabelsState {
  readonly mode: boolean;
  readonly setMode: (on: boolean) => void;
  readonly author: string;
  readonly setAuthor: (author: string) => void;
  readonly labels: readonly WireTrendLabel[];
  readonly detector: DetectorId;
  readonly setDetector: (detector: DetectorId) => void;
  readonly k: number;
  readonly setK: (k: number) => void;
  readonly score: ScoreResponse | null;
  readonly error: string | null;
}

interface LabelsTestHook {
  markers(): SeriesMarker<Time>[];
  labels(): WireTrendLabel[];
}
declare global {
  interface Window {
    __barstreamLabels?: LabelsTestHook;
  }
}

export function useTrendLabels(surfaceRef: RefObject<ChartSurface | null>, contractId: string, timeframe: string): TrendLabelsState {
  const [mode, setMode] = useState(false);
  const [author, setAuthorState] = useState('');
  const [labels, setLabels] = useState<readonly WireTrendLabel[]>([]);
  const [detector, setDetector] = useState<DetectorId>('trend');
  const [k, setK] = useState(DEFAULT_SCORE_K);
  const [score, setScore] = useState<ScoreResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Bumped after each write: refetches labels and score. */
  const [revision, setRevision] = useState(0);
  const labelsRef = useRef(labels);
  const markersRef = useRef<SeriesMarker<Time>[]>([]);

  // The stored name arrives after hydration (the server has no localStorage).
  useEffect(() => {
    const stored = storedAuthor();
    if (stored !== '') queueMicrotask(() => setAuthorState(stored));
  }, []);

  const setAuthor = useCallback((next: string) => {
    setAuthorState(next);
    saveAuthor(next);
  }, []);

  useEffect(() => {
    labelsRef.current = labels;
  }, [labels]);

  // Labels and score, while the mode is on.
  useEffect(() => {
    if (!mode) return undefined;
    let live = true;
    const name = author.trim();
    Promise.all([fetchTrendLabels(contractId, timeframe, name), fetchScore(contractId, timeframe, detector, k, name)]).then(
      ([l, s]) => {
        if (!live) return;
        setLabels(l);
        setScore(s);
        setError(null);
      },
      (err: unknown) => {
        if (live) setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      live = false;
    };
  }, [mode, contractId, timeframe, author, detector, k, revision]);

  // Clicks on candles cycle the bar's label.
  useEffect(() => {
    const surface = surfaceRef.current;
    if (!mode || !surface) return undefined;
    const name = author.trim();
    return surface.onClick((time) => {
      if (time === null) return;
      const ms = time * 1000;
      const current = labelsRef.current.find((l) => l.author === name && Date.parse(l.timestamp) === ms) ?? null;
      const next: TrendLabelType | null = nextLabelType(current?.label_type ?? null);
      const write =
        next === null ? deleteTrendLabel((current as WireTrendLabel).label_id) : saveTrendLabel(contractId, timeframe, ms, next, name);
      write.then(
        () => setRevision((r) => r + 1),
        (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
      );
    });
  }, [mode, surfaceRef, contractId, timeframe, author]);

  // The markers layer lives while the mode is on.
  const layerRef = useRef<ReturnType<ChartSurface['createMarkerLayer']> | null>(null);
  useEffect(() => {
    const surface = surfaceRef.current;
    if (!mode || !surface) return undefined;
    const layer = surface.createMarkerLayer();
    layerRef.current = layer;
    const hook: LabelsTestHook = { markers: () => markersRef.current, labels: () => [...labelsRef.current] };
    window.__barstreamLabels = hook;
    return () => {
      layer.detach();
      layerRef.current = null;
      markersRef.current = [];
      if (window.__barstreamLabels === hook) delete window.__barstreamLabels;
    };
  }, [mode, surfaceRef]);

  useEffect(() => {
    const markers = mode ? labelMarkers(labels, score) : [];
    markersRef.current = markers;
    layerRef.current?.setMarkers(markers);
  }, [mode, labels, score]);

  return { mode, setMode, author, setAuthor, labels, detector, setDetector, k, setK, score, error };
}
