// Which tick_data_channel payloads the trader parses: only those naming a contract that a tick-model
// paper run trades, read from the raw payload first (tickPayloadContractIds), so the ingester's stream
// of every contract's ticks costs a trader with no such run (or none for that contract) no JSON.parse
// and no schema. What is parsed is still validated: a bad payload is rejected, counted and logged.
import { tickPayloadContractIds } from '@barstream/core';
import { Counter, type Registry } from 'prom-client';

export class TickWakeups {
  private readonly payloads: Counter<'outcome'>;

  /** `tickRunTrades`: whether a live tick-model run of this instance trades the contract; `anyTickRun`: whether one exists. */
  constructor(
    registry: Registry,
    private readonly tickRunTrades: (contractId: string) => boolean,
    private readonly anyTickRun: () => boolean,
  ) {
    this.payloads = new Counter({
      name: 'trader_tick_payloads_total',
      help: 'tick_data_channel payloads: skipped (no tick-model run trades their contracts; not parsed), parsed, rejected (invalid)',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  /** Before parsing: false skips the payload. One whose contracts cannot be read cheaply is parsed
   * whenever a tick-model run exists (and then rejected with its error if it is bad). */
  accepts(raw: string): boolean {
    if (this.anyTickRun()) {
      const ids = tickPayloadContractIds(raw);
      if (ids === undefined || ids.length === 0 || ids.some((id) => this.tickRunTrades(id))) return true;
    }
    this.payloads.inc({ outcome: 'skipped' });
    return false;
  }

  parsed(): void {
    this.payloads.inc({ outcome: 'parsed' });
  }

  rejected(): void {
    this.payloads.inc({ outcome: 'rejected' });
  }
}
