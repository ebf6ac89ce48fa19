// Generated WebSocket client frames for fuzzing the broadcaster: valid protocol messages, near
// misses, arbitrary JSON and text, binary, invalid UTF-8, oversized, deeply nested, huge numbers,
// prototype-pollution keys, fragmented messages and WebSocket control frames.
import fc from 'fast-check';

/** One generated client frame: what is sent, and what the lane does after sending it. */
export interface FuzzFrame {
  /** A label for statistics and failure reports (`valid`, `near-valid`, `oversized`, …). */
  readonly kind: string;
  /** The exact bytes sent: strings are encoded here, so the oracle sees what the server sees. */
  readonly bytes: Buffer;
  /** Sent as a binary frame (a text frame otherwise, whether or not the bytes are valid UTF-8). */
  readonly binary: boolean;
  /** A WebSocket ping or pong control frame instead of a message: the protocol answers nothing. */
  readonly control?: 'ping' | 'pong';
  /** More than one: the message is sent as this many fragments. */
  readonly fragments: number;
  /** After sending: close the connection normally, or cut it off without waiting for answers. */
  readonly then?: 'close' | 'terminate';
}

export interface FrameSizes {
  /** Frame sizes at which the servers under test change their answer (soft limits, ws's hard limit). */
  readonly boundaries: readonly number[];
  readonly hardMaxFrameBytes: number;
}

const text = (kind: string, s: string): Omit<FuzzFrame, 'fragments'> => ({ kind, bytes: Buffer.from(s, 'utf8'), binary: false });

/** JSON.stringify with `key` as an own property even for `__proto__` (plain assignment would set the prototype). */
function withKey(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...obj };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

const CHANNELS = ['bars', 'ticks', 'signals'] as const;
/** Contract ids that collide with Object.prototype names, and the bystander's own contract. */
const contractId = fc.oneof(
  fc.constantFrom('TEST.A', 'SIM.MES', 'SAFE', '__proto__', 'constructor', 'hasOwnProperty', 'toString', 'x'.repeat(100)),
  fc.string({ minLength: 1, maxLength: 100 }),
  fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }),
);
const timeframe = fc.oneof(
  fc.constantFrom('1s', '1m', '5m', '60m', '1h', '4h', '1d', '1w', '1mo', '1M', '01m', ' 1m ', '9999mo'),
  fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.constantFrom('s', 'm', 'h', 'd', 'w', 'mo', 'M')).map(([v, u]) => `${v}${u}`),
);
const pingId = fc.oneof(
  fc.string({ maxLength: 100 }),
  fc.string({ maxLength: 30, unit: 'binary' }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-0, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 1, 'p'.repeat(100)),
);

const subscription = fc.oneof(
  fc.record({ type: fc.constantFrom('subscribe', 'unsubscribe'), channel: fc.constant('bars'), contract_id: contractId, timeframe }),
  fc.record({ type: fc.constantFrom('subscribe', 'unsubscribe'), channel: fc.constantFrom(...CHANNELS), contract_id: contractId }),
);
const validMessage: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 3, arbitrary: subscription },
  { weight: 2, arbitrary: fc.option(pingId, { nil: undefined }).map((id) => (id === undefined ? { type: 'ping' } : { type: 'ping', id })) },
);

const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'type', 'id', 'Type', ''),
  fc.string({ maxLength: 20 }),
);
const badTimeframe = fc.constantFrom(
  '0m',
  '0000m',
  '00s',
  '1x',
  'm',
  '1',
  '10000m',
  '1m1',
  '１m',
  '-1m',
  '1.5h',
  '  1m    ',
  '1m\n',
  'x'.repeat(200),
  '',
);
const badType = fc.constantFrom(
  'Subscribe',
  'SUBSCRIBE',
  'sub',
  '',
  ' ping',
  'pong',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  1,
  null,
  true,
  ['ping'],
);
const wrongValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, 0, -1, true, [], {}, 'x'.repeat(101)));

/** A valid message with one thing wrong (or one thing at its limit, which is still valid). */
const nearValid = fc
  .tuple(validMessage, fc.nat(7), fc.nat(), hostileKey, wrongValue, badType, badTimeframe, timeframe)
  .map(([m, how, which, key, value, type, badTf, tf]) => {
    const keys = Object.keys(m);
    switch (how) {
      case 0:
        return withKey(m, keys[which % keys.length] ?? 'type', value); // a field of the wrong type
      case 1:
        return withKey(m, key, value); // an extra (or replaced) key
      case 2: {
        const { [keys[keys.length - 1] ?? 'type']: _dropped, ...rest } = m;
        return rest;
      } // a missing key
      case 3:
        return { ...m, type };
      case 4:
        return {
          ...m,
          channel: 'bars',
          timeframe: badTf,
          type: m.type === 'ping' ? 'subscribe' : m.type,
          contract_id: m.contract_id ?? 'X',
        };
      case 5:
        return { ...m, channel: which % 2 ? 'ticks' : 'signals', timeframe: tf, type: 'subscribe', contract_id: 'X' }; // timeframe off bars
      case 6:
        return m.type === 'ping' ? { ...m, id: 'i'.repeat(101) } : { ...m, contract_id: which % 2 ? '' : 'c'.repeat(101) };
      default:
        return { ...m, contract_id: 'c'.repeat(100) }; // at the limit: still valid for subscriptions
    }
  });

const hugeNumber = fc.oneof(
  fc.constantFrom(
    '1e309',
    '-1e309',
    '1e-400',
    '-0',
    '0.1e1',
    '1E+2',
    '123456789012345678901234567890',
    '9'.repeat(400),
    `0.${'0'.repeat(400)}1`,
  ),
  fc.bigInt({ min: -(2n ** 256n), max: 2n ** 256n }).map(String),
);
const PROTO_TEXTS = [
  '{"__proto__":{"polluted":"yes"},"type":"ping"}',
  '{"type":"ping","__proto__":{"polluted":"yes"}}',
  '{"type":"ping","constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":{"type":"ping"}}',
  '{"type":"__proto__"}',
  '{"type":"constructor"}',
  '{"type":"subscribe","channel":"ticks","contract_id":"x","__proto__":{"timeframe":"1m"}}',
  '{"type":"subscribe","channel":"__proto__","contract_id":"x"}',
  '{"type":"subscribe","channel":"bars","contract_id":"__proto__","timeframe":"1m"}',
  '{"type":"unsubscribe","channel":"bars","contract_id":"constructor","timeframe":"1m"}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
];

function nested(depth: number, form: number): string {
  switch (form) {
    case 0:
      return '['.repeat(depth) + ']'.repeat(depth);
    case 1:
      return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    case 2:
      return `{"type":"ping","id":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    case 3:
      return `{"type":"subscribe","channel":"bars","contract_id":${'{"x":'.repeat(depth)}0${'}'.repeat(depth)}}`;
    default:
      return '['.repeat(depth); // never closed: not JSON
  }
}

/** A valid ping padded with JSON whitespace to exactly `size` bytes: only its size is wrong. */
function paddedPing(size: number): string {
  const body = '{"type":"ping","id":"big"}';
  return body.slice(0, -1) + ' '.repeat(Math.max(0, size - body.length)) + '}';
}

const INVALID_UTF8 = [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80]];

export function fuzzFrameArbitrary(sizes: FrameSizes): fc.Arbitrary<FuzzFrame> {
  const boundarySize = fc.oneof(
    fc.tuple(fc.constantFrom(...sizes.boundaries), fc.integer({ min: -1, max: 1 })).map(([b, d]) => b + d),
    fc.tuple(fc.constantFrom(...sizes.boundaries), fc.integer({ min: 2, max: 4096 })).map(([b, d]) => b + d),
  );
  const message: fc.Arbitrary<Omit<FuzzFrame, 'fragments'>> = fc.oneof(
    { weight: 30, arbitrary: validMessage.map((m) => text('valid', JSON.stringify(m))) },
    { weight: 25, arbitrary: nearValid.map((m) => text('near-valid', JSON.stringify(m))) },
    // A key long enough that the error naming it is cut to the protocol's 500 characters, maybe mid surrogate pair.
    {
      weight: 1,
      arbitrary: fc
        .tuple(validMessage, fc.string({ minLength: 300, maxLength: 1_000, unit: 'grapheme' }))
        .map(([m, key]) => text('long-key', JSON.stringify(withKey(m, key, 1)))),
    },
    { weight: 6, arbitrary: fc.json({ maxDepth: 4 }).map((s) => text('json', s)) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom('subscribe', 'unsubscribe', 'ping'), fc.dictionary(hostileKey, wrongValue, { maxKeys: 6 }))
        .map(([type, rest]) => text('json-typed', JSON.stringify(withKey(rest, 'type', type)))),
    },
    { weight: 4, arbitrary: fc.string({ maxLength: 200, unit: 'grapheme' }).map((s) => text('text', s)) },
    { weight: 2, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }).map((s) => text('unicode', s)) }, // lone surrogates become U+FFFD
    {
      weight: 2,
      arbitrary: fc.tuple(validMessage, fc.nat()).map(([m, cut]) => {
        const s = JSON.stringify(m);
        return text('truncated', s.slice(0, cut % s.length));
      }),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          '',
          ' ',
          '\n',
          'null',
          'true',
          '0',
          '""',
          '[]',
          '{}',
          "{'type':'ping'}",
          '{"type":"ping",}',
          '{"type":"ping","id":NaN}',
          '{"type":"ping"} x',
          '{"type":"ping"}{"type":"ping"}',
          '/* */{"type":"ping"}',
          '\uFEFF{"type":"ping"}',
          '{"type":"ping\u0000"}',
        )
        .map((s) => text('not-json', s)),
    },
    {
      weight: 4,
      arbitrary: fc
        .oneof(
          fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
          validMessage.map((m) => Buffer.from(JSON.stringify(m))),
        )
        .map((bytes) => ({ kind: 'binary', bytes, binary: true })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(validMessage, fc.constantFrom(...INVALID_UTF8), fc.nat()).map(([m, bad, at]) => {
        const good = Buffer.from(JSON.stringify(m));
        const i = at % good.length;
        return { kind: 'invalid-utf8', bytes: Buffer.concat([good.subarray(0, i), Buffer.from(bad), good.subarray(i)]), binary: false };
      }),
    },
    { weight: 3, arbitrary: boundarySize.map((size) => text('oversized', paddedPing(size))) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.oneof(fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 2_000, max: 12_000 })), fc.nat(4))
        .map(([depth, form]) => text('nested', nested(depth, form))),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(hugeNumber, fc.boolean()).map(([n, inId]) => text('huge-number', inId ? `{"type":"ping","id":${n}}` : n)),
    },
    { weight: 4, arbitrary: fc.constantFrom(...PROTO_TEXTS).map((s) => text('proto', s)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('ping' as const, 'pong' as const), fc.uint8Array({ maxLength: 125 }))
        .map(([control, b]) => ({ kind: `ws-${control}`, bytes: Buffer.from(b), binary: true, control })),
    },
  );
  return fc
    .tuple(
      message,
      fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 4 }) }),
      fc.oneof(
        { weight: 98, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constant('close' as const) },
        { weight: 1, arbitrary: fc.constant('terminate' as const) },
      ),
    )
    .map(([frame, fragments, then]) => ({
      ...frame,
      // Control frames cannot be fragmented, and an empty message has nothing to split.
      fragments: frame.control || frame.bytes.length < fragments ? 1 : fragments,
      ...(then ? { then } : {}),
    }));
}

/** Generates `count` frames from `seed`: the same seed gives the same frames. */
export function generateFrames(count: number, seed: number, sizes: FrameSizes): FuzzFrame[] {
  return fc.sample(fuzzFrameArbitrary(sizes), { numRuns: count, seed });
}

/** A short printable form of a frame for failure messages. */
export function describeFrame(frame: FuzzFrame): string {
  const shown =
    frame.binary || frame.kind === 'invalid-utf8'
      ? frame.bytes.subarray(0, 60).toString('hex')
      : JSON.stringify(frame.bytes.subarray(0, 120).toString('utf8'));
  return `${frame.kind} ${frame.bytes.length} B${frame.fragments > 1 ? ` in ${frame.fragments} fragments` : ''}${frame.then ? ` then ${frame.then}` : ''}: ${shown}`;
}
