'use client';
// The toolbar's labelling switch and the author name the labels are stored under.
import type { TrendLabelsState } from './use-trend-labels.ts';

export function LabelModeToggle({ labels }: { readonly labels: TrendLabelsState }) {
  return (
    <fieldset className="chart-toggles" aria-label="Trend labelling">
      <label>
        <input type="checkbox" checked={labels.mode} data-testid="toggle-labelling" onChange={(e) => labels.setMode(e.target.checked)} />
        Label trends
      </label>
      {labels.mode && (
        <label>
          Author
          <input
            type="text"
            value={labels.author}
            maxLength={100}
            size={10}
            placeholder="your name"
            data-testid="label-author"
            onChange={(e) => labels.setAuthor(e.target.value)}
          />
        </label>
      )}
    </fieldset>
  );
}
