// The subscribed ids (Coinbase products, Alpaca symbols) found from a frame's bytes without making a string
// of them: each id's UTF-8 bytes, looked up by length and first and last byte, compared in full. The string
// handed on is the subscribed id itself, one per id, so trades share it.
import { isPlainText } from './json-frame-bytes.ts';

interface Entry {
  readonly id: string;
  readonly bytes: Uint8Array;
}

const tables = new WeakMap<ReadonlySet<string>, SubscribedIds>();

export class SubscribedIds {
  private readonly byShape = new Map<number, Entry[]>();
  private last: Entry | undefined;

  private constructor(ids: ReadonlySet<string>) {
    for (const id of ids) {
      const bytes = new Uint8Array(Buffer.from(id, 'utf8'));
      // An id that is not plain JSON text (an escape needed) or does not survive UTF-8 (a lone surrogate)
      // is never found here: its frames go the JSON way.
      if (bytes.length === 0 || Buffer.from(bytes).toString('utf8') !== id || !isPlainText(bytes)) continue;
      const key = shape(bytes, 0, bytes.length);
      const entries = this.byShape.get(key) ?? [];
      entries.push({ id, bytes });
      this.byShape.set(key, entries);
    }
  }

  /** The table of a set of ids (one per set: a connection passes the same set with every frame). */
  static of(ids: ReadonlySet<string>): SubscribedIds {
    let table = tables.get(ids);
    if (!table) tables.set(ids, (table = new SubscribedIds(ids)));
    return table;
  }

  /** The subscribed id whose bytes are bytes[start, end), or undefined. */
  find(bytes: Uint8Array, start: number, end: number): string | undefined {
    const last = this.last;
    if (last && same(last.bytes, bytes, start, end)) return last.id;
    const entries = this.byShape.get(shape(bytes, start, end));
    if (!entries) return undefined;
    for (const entry of entries) {
      if (same(entry.bytes, bytes, start, end)) {
        this.last = entry;
        return entry.id;
      }
    }
    return undefined;
  }
}

/** Length, first and last byte: ids of one venue mostly differ in one of them. */
function shape(bytes: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n <= 0) return -1;
  return n * 65_536 + (bytes[start] as number) * 256 + (bytes[end - 1] as number);
}

function same(id: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  const n = id.length;
  if (end - start !== n) return false;
  for (let k = n - 1; k >= 0; k--) if (id[k] !== bytes[start + k]) return false;
  return true;
}
