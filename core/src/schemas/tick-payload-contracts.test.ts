import { describe, expect, it } from 'vitest';
import { tickPayloadContractIds } from './tick-payload-contracts.ts';

describe('tickPayloadContractIds', () => {
  it('reads the one contract of a single-contract payload and every contract of a multi-contract one', () => {
    expect(tickPayloadContractIds(JSON.stringify({ type: 'ticks', contract_id: 'CON.F.US.MES.H25', ticks: [] }))).toEqual([
      'CON.F.US.MES.H25',
    ]);
    const multi = {
      type: 'ticks',
      contracts: [
        { contract_id: 'A', ticks: [{ timestamp: 't', price: 1, volume: 1, side: 'buy' }] },
        { contract_id: 'B', ticks: [] },
      ],
    };
    expect(tickPayloadContractIds(JSON.stringify(multi))).toEqual(['A', 'B']);
  });

  it('accepts whitespace around the colon (plain SQL senders) and finds none where there is none', () => {
    expect(tickPayloadContractIds('{"type": "ticks", "contract_id" : "X", "ticks": []}')).toEqual(['X']);
    expect(tickPayloadContractIds('{"type":"ticks","contractId":"X","ticks":[]}')).toEqual([]);
  });

  it('is not fooled by a contract_id inside a string value, and gives up on an escaped id', () => {
    const inValue = JSON.stringify({ type: 'ticks', contract_id: 'REAL', ticks: [{ side: '"contract_id":"FAKE"' }] });
    expect(tickPayloadContractIds(inValue)).toEqual(['REAL']);
    expect(tickPayloadContractIds(JSON.stringify({ type: 'ticks', contract_id: 'A"B', ticks: [] }))).toBeUndefined();
  });
});
