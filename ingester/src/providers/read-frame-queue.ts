// A feed socket's frames held while ws reads a socket read's frames, then handed on in order in one go. ws
// emits every frame of one read in the same turn; taking each as it comes alternates ws's frame reading with
// the venue's parser frame by frame, which cost ~0.2 µs a trade more than ws reading them all and the parser
// then reading them all, at Coinbase's 1.7 trades a frame (bench/ingest-wire/wire-read-layers.ts). The frames
// are handed on before the turn's other microtasks queued after the first of them (TradeBatchingSink's hand-on
// of the read's trades among them), in the order they arrived, each with its binary flag.
import type { RawData } from 'ws';

export class ReadFrameQueue {
  private frames: RawData[] = [];
  private binary: boolean[] = [];

  /** `handle` takes each frame; what it throws propagates from the microtask, as it did from ws's event. */
  constructor(private readonly handle: (data: RawData, isBinary: boolean) => void) {}

  push(data: RawData, isBinary: boolean): void {
    if (this.frames.length === 0) queueMicrotask(this.drain);
    this.frames.push(data);
    this.binary.push(isBinary);
  }

  private readonly drain = (): void => {
    const { frames, binary } = this;
    this.frames = [];
    this.binary = [];
    for (let k = 0; k < frames.length; k++) this.handle(frames[k] as RawData, binary[k] as boolean);
  };
}
