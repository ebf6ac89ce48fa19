import { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import * as ws from 'ws';
import { describe, expect, it } from 'vitest';
import { textFrame } from './text-frame.ts';

/** ws's frame parser: exported at run time (ws/wrapper.mjs) though @types/ws does not declare it. */
const Receiver = (ws as unknown as { Receiver: new (options: { isServer: boolean }) => Writable & EventEmitter }).Receiver;

/** What a ws client makes of the bytes: the frame parser of the library the clients use. */
function receive(frame: Buffer): Promise<{ text: string; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) => resolve({ text: data.toString('utf8'), isBinary }));
    receiver.on('error', reject);
    receiver.write(frame);
  });
}

describe('textFrame', () => {
  // The three length encodings of RFC 6455: 7-bit, 16-bit and 64-bit.
  it.each([0, 5, 125, 126, 65_535, 65_536, 200_000])('is one unmasked text frame a client decodes (%i bytes)', async (n) => {
    const text = 'é'.repeat(Math.floor(n / 2)) + 'x'.repeat(n % 2);
    const payload = Buffer.from(text, 'utf8');
    expect(payload.length).toBe(n);
    const frame = textFrame(payload);
    expect(frame[0]).toBe(0x81);
    expect(frame.length - payload.length).toBe(n <= 125 ? 2 : n <= 65_535 ? 4 : 10);
    await expect(receive(frame)).resolves.toEqual({ text, isBinary: false });
  });
});
