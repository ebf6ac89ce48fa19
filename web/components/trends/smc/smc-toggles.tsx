// The SMC study toggles of the chart toolbar: one checkbox per study drawn (FVG, OB, liquidity,
// BOS/CHoCH, swings).
import { SMC_TOGGLE_LABELS, SMC_TOGGLES, type SmcVisibility } from '@/lib/chart/smc/smc-visibility.ts';

export interface SmcTogglesProps {
  readonly visibility: SmcVisibility;
  readonly onChange: (next: SmcVisibility) => void;
}

export function SmcToggles({ visibility, onChange }: SmcTogglesProps) {
  return (
    // display: contents: the checkboxes flow with the toolbar's other toggles.
    <span role="group" aria-label="Smart money concepts" style={{ display: 'contents' }}>
      {SMC_TOGGLES.map((toggle) => (
        <label key={toggle}>
          <input
            type="checkbox"
            checked={visibility[toggle]}
            data-testid={`toggle-smc-${toggle}`}
            onChange={(e) => onChange({ ...visibility, [toggle]: e.target.checked })}
          />
          {SMC_TOGGLE_LABELS[toggle]}
        </label>
      ))}
    </span>
  );
}
