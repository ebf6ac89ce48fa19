// The webhook sender against a local receiver speaking HTTP: signature, headers, formats, and how each
// answer is classified for the queue worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveredAlert, DeliveryRequest } from '@barstream/core';
import { WebhookReceiver } from '../../../tests/fakes/webhook-receiver.ts';
import { retryAfterMs, WebhookSender, webhookSignature } from './webhook-sender.ts';

const SECRET = 'shh-secret';
const receiver = new WebhookReceiver(SECRET);
let base = '';

beforeAll(async () => {
  base = await receiver.start();
});
afterAll(() => receiver.stop());

const alert: DeliveredAlert = {
  alert_id: 7,
  rule: 'trend-start',
  rule_type: 'signal',
  contract_id: 'SIM.MES',
  timeframe: '5m',
  setup_type: 'uptrend_start',
  severity: 'warning',
  direction: 'long',
  bar_time: '2025-03-17T10:00:00.000Z',
  known_at: '2025-03-17T10:10:00.000Z',
  entry_price: 5601.25,
  stop_loss: 5590,
  target: 5625,
  confidence: 0.71,
  details: { atr_14: 7.5 },
  link: 'http://localhost:3000/trends?contract=SIM.MES&tf=5m&at=1742205600',
  created_at: '2025-03-17T10:10:00.500Z',
};

function request(path: string, extra: Partial<DeliveryRequest> = {}, config: Record<string, unknown> = {}): DeliveryRequest {
  return {
    idempotencyKey: `key-${path}`,
    alert,
    destination: { id: 1, name: 'hook', kind: 'webhook', config: { url: `${base}${path}`, ...config }, secret: SECRET },
    attempt: 1,
    signal: AbortSignal.timeout(2_000),
    ...extra,
  };
}

describe('WebhookSender', () => {
  const sender = new WebhookSender(() => Date.parse('2025-03-17T10:10:01Z'));

  it('posts the alert signed with the secret over "<timestamp>.<body>", with the idempotency key', async () => {
    expect(await sender.send(request('/plain'))).toEqual({ ok: true, statusCode: 200 });
    const got = receiver.requests.find((r) => r.path === '/plain');
    expect(got).toMatchObject({ key: 'key-/plain', signatureOk: true, body: alert });
    const body = JSON.stringify(alert);
    expect(webhookSignature(SECRET, '1742206201', body)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('sends the Slack and Discord shapes when asked', async () => {
    await sender.send(request('/slack', {}, { format: 'slack' }));
    await sender.send(request('/discord', {}, { format: 'discord' }));
    const slack = receiver.requests.find((r) => r.path === '/slack')?.body as { text: string; blocks: unknown[] };
    expect(slack.text).toBe('WARNING SIM.MES 5m uptrend_start long @ 5601.25 (trend-start)');
    expect(slack.blocks).toHaveLength(2);
    const discord = receiver.requests.find((r) => r.path === '/discord')?.body as {
      content: string;
      embeds: { url: string; color: number }[];
    };
    expect(discord.content).toBe(slack.text);
    expect(discord.embeds[0]).toMatchObject({ url: alert.link, color: 0xf59e0b });
  });

  it('sends a retraction as {kind: "retraction", alert_id, text, reason, alert}, and WITHDRAWN before the Slack and Discord headlines', async () => {
    await sender.send(request('/retract', { kind: 'retraction' }));
    await sender.send(request('/retract-slack', { kind: 'retraction' }, { format: 'slack' }));
    await sender.send(request('/retract-discord', { kind: 'retraction' }, { format: 'discord' }));
    const plain = receiver.requests.find((r) => r.path === '/retract');
    expect(plain).toMatchObject({ signatureOk: true, key: 'key-/retract' });
    expect(plain?.body).toEqual({
      kind: 'retraction',
      alert_id: 7,
      text: 'WITHDRAWN: WARNING SIM.MES 5m uptrend_start long @ 5601.25 (trend-start)',
      reason: 'the signal was withdrawn: its bar was corrected and the strategy no longer finds it',
      alert,
    });
    const slack = receiver.requests.find((r) => r.path === '/retract-slack')?.body as { text: string };
    expect(slack.text).toBe('WITHDRAWN: WARNING SIM.MES 5m uptrend_start long @ 5601.25 (trend-start)');
    const discord = receiver.requests.find((r) => r.path === '/retract-discord')?.body as { content: string; embeds: { title: string }[] };
    expect(discord.content).toBe(slack.text);
    expect(discord.embeds[0]?.title).toBe('WITHDRAWN: SIM.MES 5m uptrend_start');
  });

  it('classifies answers: 429 and 5xx retryable with Retry-After, other 4xx final', async () => {
    receiver.setMode('/busy', { kind: 'status', status: 429 });
    receiver.setMode('/down', { kind: 'flaky', failShare: 1, status: 503, retryAfterSeconds: 7 });
    receiver.setMode('/gone', { kind: 'status', status: 404 });
    expect(await sender.send(request('/busy'))).toMatchObject({ ok: false, retryable: true, statusCode: 429 });
    expect(await sender.send(request('/down'))).toMatchObject({ ok: false, retryable: true, statusCode: 503, retryAfterMs: 7_000 });
    expect(await sender.send(request('/gone'))).toMatchObject({ ok: false, retryable: false, statusCode: 404 });
  });

  it('gives up a hanging receiver when the attempt is aborted, and reports garbage as retryable, never the secret', async () => {
    receiver.setMode('/hang', { kind: 'hang' });
    receiver.setMode('/garbage', { kind: 'garbage' });
    const hung = await sender.send(request('/hang', { signal: AbortSignal.timeout(150) }));
    expect(hung).toEqual({ ok: false, retryable: true, error: `POST ${base}/hang: timed out` });
    const garbage = await sender.send(request('/garbage'));
    expect(garbage).toMatchObject({ ok: false, retryable: true });
    expect(JSON.stringify([hung, garbage])).not.toContain(SECRET);
  });

  it('refuses a destination without a valid URL as final, naming the key', async () => {
    const result = await sender.send(request('/x', {}, { url: 'ftp://nope' }));
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect((result as { error: string }).error).toMatch(/^webhook config: url: /);
  });
});

describe('retryAfterMs', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(retryAfterMs('12')).toBe(12_000);
    expect(retryAfterMs('Mon, 17 Mar 2025 10:10:31 GMT', Date.parse('2025-03-17T10:10:01Z'))).toBe(30_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
