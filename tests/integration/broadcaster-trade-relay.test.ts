// trade_update summaries reach the clients subscribed to the trades channel of the run's contract (and
// clients that never subscribed), byte for byte; an invalid one is dropped, never relayed.
import { describe, it } from 'vitest';
import { checkContractRelay } from '../support/contract-relay-check.ts';
import { useBroadcaster } from '../support/use-broadcaster.ts';

const ground = useBroadcaster();

function tradeUpdate(contractId: string, runId: number) {
  return {
    type: 'trade_update',
    run_id: runId,
    contract_id: contractId,
    status: 'running',
    through: '2025-03-17T10:00:00.000Z',
    orders: 2,
    fills: 1,
    trades: 0,
    equity_points: 1,
    equity: '10000.00000000',
  };
}

describe('broadcaster relays trade_update', () => {
  it('to trades subscribers of the contract and to clients that never subscribed', async () => {
    await checkContractRelay(ground, {
      channel: 'trades',
      notify: 'tradeUpdate',
      type: 'trade_update',
      payload: tradeUpdate,
      label: (m) => `${String(m.contract_id)} #${String(m.run_id)}`,
      invalid: { ...tradeUpdate('X', 3), fills: -1 },
    });
  });
});
