import { describe, expect, it } from 'vitest';
import { alertHeadline } from './alert-text.ts';

describe('alertHeadline', () => {
  it('names contract, timeframe and setup, with the side when there is one', () => {
    expect(alertHeadline({ contract_id: 'SIM.MES', timeframe: '5m', setup_type: 'uptrend_start', direction: 'long' })).toBe(
      'SIM.MES 5m uptrend start (long)',
    );
    expect(alertHeadline({ contract_id: 'SIM.MNQ', timeframe: '1m', setup_type: 'volume_spike', direction: 'none' })).toBe(
      'SIM.MNQ 1m volume spike',
    );
  });
});
