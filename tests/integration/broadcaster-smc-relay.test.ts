// smc_update summaries reach the clients subscribed to the smc channel of their contract (and clients
// that never subscribed), byte for byte; an invalid one is dropped, never relayed.
import { describe, expect, it } from 'vitest';
import { checkContractRelay } from '../support/contract-relay-check.ts';
import { useBroadcaster } from '../support/use-broadcaster.ts';

const ground = useBroadcaster();

function smcUpdate(contractId: string, events: number) {
  return {
    type: 'smc_update',
    study_id: 'smc_default',
    contract_id: contractId,
    timeframe: '5m',
    through: '2025-03-17T10:00:00.000Z',
    from: '2025-03-17T09:00:00.000Z',
    events,
    zones: 2,
  };
}

describe('broadcaster relays smc_update', () => {
  it('to smc subscribers of the contract and to clients that never subscribed', async () => {
    const smcX = await checkContractRelay(ground, {
      channel: 'smc',
      notify: 'smcUpdate',
      type: 'smc_update',
      payload: smcUpdate,
      label: (m) => `${String(m.contract_id)} #${String(m.events)}`,
      invalid: { ...smcUpdate('X', 3), events: -1 },
    });
    expect(smcX.ofType('subscribed')).toEqual([{ type: 'subscribed', channel: 'smc', contract_id: 'X' }]);
  });
});
