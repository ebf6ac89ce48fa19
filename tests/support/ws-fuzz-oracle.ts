// What the protocol (docs/WEBSOCKET.md, core/src/schemas/ws-protocol.ts) says the broadcaster
// answers to a client frame, and a per-connection model that checks each answer against it.
import { isUtf8 } from 'node:buffer';
import { isDeepStrictEqual } from 'node:util';
import {
  type ClientMessage,
  clientMessageSchema,
  type ProtocolErrorCode,
  serverControlMessageSchema,
  WS_CLOSE,
} from '../../core/src/schemas/ws-protocol.ts';
import { parseTimeframe } from '../../core/src/timeframe.ts';
import type { FuzzFrame } from './ws-fuzz-frames.ts';

/** The limits of the server a lane talks to, as the oracle needs them. */
export interface ServerLimits {
  readonly maxMessageBytes: number;
  readonly maxErrors: number;
  readonly maxSubscriptions: number;
  /** Above this, ws itself refuses the frame and closes with 1009. */
  readonly hardMaxFrameBytes: number;
  /** When the rate limit can bite, `rate_limited` may replace any answer (it depends on timing). */
  readonly rateLimited: boolean;
}

/** What ws closes with when a text frame is not UTF-8 (RFC 6455 §8.1), before the broadcaster sees
 * the frame; not in WS_CLOSE, which lists the codes the broadcaster itself chooses. */
export const INVALID_PAYLOAD = 1007;

export type Expectation =
  | { readonly kind: 'none' } // a WebSocket ping or pong: the protocol answers nothing
  | { readonly kind: 'close'; readonly code: typeof INVALID_PAYLOAD | typeof WS_CLOSE.messageTooBig }
  | { readonly kind: 'error'; readonly code: ProtocolErrorCode }
  | { readonly kind: 'message'; readonly message: ClientMessage };

export type AnsweredExpectation = Extract<Expectation, { kind: 'error' | 'message' }>;

/** ws's own checks (hard size, UTF-8), then the broadcaster's in its order: binary, size, JSON,
 * schema. Its first check, the rate limit, depends on timing: see ServerLimits.rateLimited. */
export function expectationOf(frame: FuzzFrame, limits: ServerLimits): Expectation {
  if (frame.control) return { kind: 'none' };
  if (frame.bytes.length > limits.hardMaxFrameBytes) return { kind: 'close', code: WS_CLOSE.messageTooBig };
  if (frame.binary) return { kind: 'error', code: 'binary' };
  if (!isUtf8(frame.bytes)) return { kind: 'close', code: INVALID_PAYLOAD };
  if (frame.bytes.length > limits.maxMessageBytes) return { kind: 'error', code: 'too_large' };
  let json: unknown;
  try {
    json = JSON.parse(frame.bytes.toString('utf8'));
  } catch {
    return { kind: 'error', code: 'not_json' };
  }
  const parsed = clientMessageSchema.safeParse(json);
  return parsed.success ? { kind: 'message', message: parsed.data } : { kind: 'error', code: 'invalid' };
}

/** One subscription's identity: `60m` and `1h` differ, `01m` and `1m` do not (docs/WEBSOCKET.md). */
function subscriptionKey(m: Extract<ClientMessage, { channel: unknown }>): string {
  if (m.timeframe === undefined) return `${m.channel}|${m.contract_id}|*`;
  const tf = parseTimeframe(m.timeframe);
  return `${m.channel}|${m.contract_id}|${tf.unit}|${tf.value}`;
}

/** One connection as the protocol describes it: its subscriptions and its refused frames. */
export class ConnectionModel {
  private errors = 0;
  private readonly keys = new Set<string>();

  constructor(private readonly limits: ServerLimits) {}

  /** After maxErrors refused frames the server closes with 1008 and answers nothing more. (The
   * error window is a minute, longer than this whole test, so every error counts.) */
  get mustClose(): boolean {
    return this.errors >= this.limits.maxErrors;
  }

  /** Checks the answer `raw` to a frame expected to get `expected`; returns what is wrong, if anything.
   * `label` (an error code or message type) is set for statistics. */
  check(expected: AnsweredExpectation, raw: string): { wrong?: string; label: string } {
    if (this.mustClose)
      return { wrong: `answered after ${this.errors} refused frames: the server should have closed (1008)`, label: 'late' };
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return { wrong: `answer is not JSON: ${raw.slice(0, 200)}`, label: 'not-json-answer' };
    }
    const answer = serverControlMessageSchema.safeParse(json);
    if (!answer.success)
      return { wrong: `answer breaks the protocol schema (${answer.error.issues[0]?.message}): ${raw.slice(0, 200)}`, label: 'bad-answer' };
    const got = answer.data;
    if (got.type === 'error') {
      this.errors++;
      if (!/\S/.test(got.message)) return { wrong: `error ${got.code} with an empty message`, label: got.code };
      if (got.code === 'rate_limited' && this.limits.rateLimited) return { label: got.code };
    }
    const want = this.expectedAnswer(expected);
    const label = got.type === 'error' ? got.code : got.type;
    if ('error' in want) {
      return got.type === 'error' && got.code === want.error
        ? { label }
        : { wrong: `expected error ${want.error}, got ${raw.slice(0, 200)}`, label };
    }
    return isDeepStrictEqual(json, want.reply)
      ? { label }
      : { wrong: `expected ${JSON.stringify(want.reply).slice(0, 200)}, got ${raw.slice(0, 200)}`, label };
  }

  /** The answer the protocol prescribes, as JSON would carry it; applies a subscription change. */
  private expectedAnswer(expected: AnsweredExpectation): { error: ProtocolErrorCode } | { reply: unknown } {
    if (expected.kind === 'error') return { error: expected.code };
    const m = expected.message;
    // Through JSON, as the answer came: an absent id or timeframe is no key at all, -0 is 0.
    if (m.type === 'ping') return { reply: JSON.parse(JSON.stringify({ type: 'pong', id: m.id })) };
    const echo = {
      reply: JSON.parse(
        JSON.stringify({ type: `${m.type}d`, channel: m.channel, contract_id: m.contract_id, timeframe: m.timeframe }),
      ) as unknown,
    };
    const key = subscriptionKey(m);
    if (m.type === 'unsubscribe') {
      this.keys.delete(key);
      return echo;
    }
    if (!this.keys.has(key) && this.keys.size >= this.limits.maxSubscriptions) return { error: 'subscription_limit' };
    this.keys.add(key);
    return echo;
  }
}
