import { describe, expect, it } from 'vitest';
import { encodeLengthPrefixed, LengthPrefixedDecoder } from './length-prefixed-frames.ts';

const frames = Array.from({ length: 3_000 }, (_, i) => `{"n":${i},"s":"${'é'.repeat(i % 7)}${'x'.repeat(i % 97)}"}`);

describe('length-prefixed frames', () => {
  it('gives back every frame, in order, however the stream is cut', () => {
    const bytes = Buffer.concat(encodeLengthPrefixed(frames));
    for (const cut of [1, 3, 5, 4_096, 65_536, bytes.length]) {
      const decoder = new LengthPrefixedDecoder();
      const out: string[] = [];
      for (let at = 0; at < bytes.length; at += cut)
        for (const f of decoder.decode(bytes.subarray(at, at + cut))) out.push(f.toString('utf8'));
      expect(out).toEqual(frames);
      expect(decoder.pendingBytes).toBe(0);
    }
  });

  it('holds a partial frame until the rest arrives', () => {
    const [bytes] = encodeLengthPrefixed(['{"a":1}', '{"b":2}']);
    const decoder = new LengthPrefixedDecoder();
    expect(decoder.decode((bytes as Buffer).subarray(0, 13)).map(String)).toEqual(['{"a":1}']);
    expect(decoder.pendingBytes).toBe(2);
    expect(decoder.decode((bytes as Buffer).subarray(13)).map(String)).toEqual(['{"b":2}']);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('cuts chunks of about 80 KB, never a frame across two', () => {
    const chunks = encodeLengthPrefixed(frames);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      const decoder = new LengthPrefixedDecoder();
      decoder.decode(chunk);
      expect(decoder.pendingBytes).toBe(0);
    }
  });
});
