// Text frames one per line from a byte stream → trades, through a venue's parser; a partial line waits.
import type { Trade } from '../../core/src/index.ts';
import type { WireFormat } from './wire-format.ts';

export class WireLineDecoder {
  private rest = '';

  constructor(private readonly wire: WireFormat) {}

  decode(chunk: Buffer): Trade[] {
    const text = this.rest + chunk.toString('utf8');
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    const trades: Trade[] = [];
    for (const line of lines) if (line.length > 0) for (const t of this.wire.parseFrame(line)) trades.push(t);
    return trades;
  }
}
