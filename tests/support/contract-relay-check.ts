// The check a broadcaster relay of per-contract summaries passes (smc_update, trade_update): a client
// subscribed to the channel for contract X gets X's summaries byte for byte, a client that never
// subscribed gets every contract's, a client of another channel none; an invalid summary is dropped.
import { expect } from 'vitest';
import type { ChannelKey } from '../../core/src/channels.ts';
import { settled, signalPayload } from './broadcaster-fixture.ts';
import type { BroadcasterGround } from './use-broadcaster.ts';
import type { WsCollector } from './ws-collector.ts';

export interface ContractRelay {
  /** The WebSocket channel clients subscribe to, and the NOTIFY channel the summaries come on. */
  readonly channel: string;
  readonly notify: ChannelKey;
  /** The message type relayed. */
  readonly type: string;
  /** A valid summary for `contractId`, told apart by `n`; `label` reads it back as `<contract> #<n>`. */
  readonly payload: (contractId: string, n: number) => object;
  readonly label: (message: Record<string, unknown>) => string;
  /** An invalid summary for X. */
  readonly invalid: object;
}

/** Runs the check on the file's broadcaster; returns the client subscribed to X, for more assertions. */
export async function checkContractRelay(ground: BroadcasterGround, relay: ContractRelay): Promise<WsCollector> {
  const everything = await ground.client();
  const subscribedX = await ground.client({ channel: relay.channel, contract_id: 'X' });
  const signalsX = await ground.client({ channel: 'signals', contract_id: 'X' });

  await ground.notifier.notify(relay.notify, [relay.payload('X', 1), relay.payload('Y', 2)]);
  await ground.notifier.notify(relay.notify, [relay.invalid]); // dropped
  await ground.notifier.notify('signalDetected', [signalPayload('X', 4)]);
  await everything.waitFor((m) => m.type === 'signal');
  await settled(subscribedX);
  await settled(signalsX);

  const labels = (c: WsCollector): string[] => c.messages.filter((m) => m.type === relay.type).map(relay.label);
  expect(labels(everything)).toEqual(['X #1', 'Y #2']);
  expect(labels(subscribedX)).toEqual(['X #1']);
  expect(labels(signalsX)).toEqual([]);
  expect(subscribedX.messages.find((m) => m.type === relay.type)).toEqual(relay.payload('X', 1));
  return subscribedX;
}
