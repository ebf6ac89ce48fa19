// How an alert is named in one line, in the list and in toasts: contract, timeframe, setup, direction.
export interface AlertHeadlineFields {
  readonly contract_id: string;
  readonly timeframe: string;
  readonly setup_type: string;
  readonly direction: 'long' | 'short' | 'none';
}

export function alertHeadline(a: AlertHeadlineFields): string {
  const side = a.direction === 'none' ? '' : ` (${a.direction})`;
  return `${a.contract_id} ${a.timeframe} ${a.setup_type.replaceAll('_', ' ')}${side}`;
}
