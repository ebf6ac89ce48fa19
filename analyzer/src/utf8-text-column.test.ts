import { describe, expect, it } from 'vitest';
import { Utf8TextColumn } from './utf8-text-column.ts';

describe('Utf8TextColumn', () => {
  it('keeps every entry, ASCII or not, as it grows, and copies entries into another column', () => {
    const column = new Utf8TextColumn(8);
    const texts = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0 ? `{"n":${i}}` : i % 3 === 1 ? `{"note":"été ${i} 📈"}` : 'x'.repeat(i),
    );
    for (const t of texts) {
      column.write(`${t.slice(0, 2)}!`);
      column.unwrite(1);
      column.writeBytes(Buffer.from(t.slice(2)));
      column.finishEntry();
    }
    expect(column.length).toBe(300);
    expect(column.texts()).toEqual(texts);
    expect(column.end(4) - column.start(4)).toBe(Buffer.byteLength(texts[4] as string));
    const other = new Utf8TextColumn(4);
    other.write('é');
    other.finishEntry();
    other.appendEntry(column, 7);
    other.appendEntry(column, 0);
    expect(other.texts()).toEqual(['é', texts[7], texts[0]]);
  });
});
