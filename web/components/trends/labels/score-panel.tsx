'use client';
// Beside the chart in labelling mode: the detector scored against the labels, exact-bar and ±k bars.
import { DETECTOR_IDS, DETECTORS, type DetectorId, type WireScoreMetrics } from '@barstream/core';
import styles from './score-panel.module.css';
import type { TrendLabelsState } from './use-trend-labels.ts';

/** The panel's k input stops here: wider tolerances are for the CLI and API (up to MAX_SCORE_K). */
const MAX_K = 50;
const percent = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

function Row({ name, m, testId }: { readonly name: string; readonly m: WireScoreMetrics; readonly testId: string }) {
  return (
    <tr data-testid={testId}>
      <th scope="row">{name}</th>
      <td data-testid={`${testId}-precision`}>{percent(m.precision)}</td>
      <td data-testid={`${testId}-recall`}>{percent(m.recall)}</td>
      <td data-testid={`${testId}-f1`}>{percent(m.f1)}</td>
      <td data-testid={`${testId}-counts`}>
        {m.tp} / {m.fp} / {m.fn}
      </td>
    </tr>
  );
}

export function ScorePanel({ labels }: { readonly labels: TrendLabelsState }) {
  if (!labels.mode) return null;
  const s = labels.score;
  const labelCount = s?.exact.events.filter((e) => e.source === 'label').length ?? 0;
  return (
    <aside className={styles.panel} data-testid="score-panel" aria-label="Detector score">
      <h2>Score against labels</h2>
      <label>
        Detector
        <select value={labels.detector} data-testid="score-detector" onChange={(e) => labels.setDetector(e.target.value as DetectorId)}>
          {DETECTOR_IDS.map((id) => (
            <option key={id} value={id}>
              {DETECTORS[id].title}
            </option>
          ))}
        </select>
      </label>
      <label>
        ±k bars
        <input
          type="number"
          min={0}
          max={MAX_K}
          value={labels.k}
          data-testid="score-k"
          onChange={(e) => {
            const k = Number(e.target.value);
            if (Number.isInteger(k) && k >= 0 && k <= MAX_K) labels.setK(k);
          }}
        />
      </label>
      {labels.error && (
        <p role="alert" className={styles.error}>
          {labels.error}
        </p>
      )}
      {s && (
        <>
          <p className={styles.note} data-testid="score-summary">
            {labelCount} labels · {s.bars} bars · {s.analyzer_id ?? 'every study'}
          </p>
          <table className={styles.table}>
            <thead>
              <tr>
                <th />
                <th>precision</th>
                <th>recall</th>
                <th>F1</th>
                <th title="true positives / false positives / false negatives">TP / FP / FN</th>
              </tr>
            </thead>
            <tbody>
              <Row name="exact" m={s.exact.overall} testId="score-exact" />
              <Row name={`±${s.tolerant.k}`} m={s.tolerant.overall} testId="score-tolerant" />
            </tbody>
          </table>
          <p className={styles.note}>Markers: label hit / miss, detection hit / extra (±k).</p>
        </>
      )}
    </aside>
  );
}
