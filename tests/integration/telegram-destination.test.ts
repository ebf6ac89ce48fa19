// The Telegram sender against a local Bot API fake: what it sends, and how each answer is classified.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramSender } from '../../alerter/src/destinations/telegram-sender.ts';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.ts';
import { deliveredAlert, deliveryRequest } from '../support/delivered-alert.ts';
import { eventually } from '../support/eventually.ts';

const TOKEN = '123456:AAH-secret_token-value';
const CHAT = '-1001234567890';
let api: FakeTelegramBotApi;

beforeAll(async () => {
  api = await FakeTelegramBotApi.start({ tokens: [TOKEN], chats: [CHAT] });
});
afterAll(async () => {
  await api?.close();
});

function destination(overrides: { secret?: string | null; config?: Record<string, unknown> } = {}) {
  return {
    id: 1,
    name: 'tg',
    kind: 'telegram' as const,
    config: overrides.config ?? { chat_id: CHAT },
    secret: overrides.secret === undefined ? TOKEN : overrides.secret,
  };
}

describe('Telegram destination', () => {
  it('sends the alert as MarkdownV2 that the Bot API parses', async () => {
    const sender = createTelegramSender({ apiUrl: api.url });
    const before = api.messages.length;
    const result = await sender.send(deliveryRequest(destination()));
    expect(result).toEqual({ ok: true, statusCode: 200 });
    const sent = api.messages.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ chatId: CHAT, parseMode: 'MarkdownV2' });
    expect(sent[0]?.text).toContain('SIM\\.MES 5m uptrend\\_start \\(long\\)');
    expect(sent[0]?.text).toContain('Stop: 5590\\.5');
  });

  it('the fake refuses what Telegram refuses: an unescaped reserved character, an unclosed entity', async () => {
    const post = async (text: string) => {
      const response = await fetch(`${api.url}/bot${TOKEN}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: CHAT, text, parse_mode: 'MarkdownV2' }),
      });
      return { status: response.status, body: (await response.json()) as { description?: string } };
    };
    expect(await post('SIM.MES')).toMatchObject({
      status: 400,
      body: { description: "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'" },
    });
    expect((await post('*bold')).body.description).toMatch(/Can't find end of the entity/);
    expect((await post('SIM\\.MES *bold* [x](http://h/\\))')).status).toBe(200);
  });

  it('any rule, contract or link text still parses (escaping is complete)', async () => {
    const sender = createTelegramSender({ apiUrl: api.url });
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.webUrl(), async (rule, contract, link) => {
        const request = deliveryRequest(destination(), { alert: deliveredAlert({ rule, contract_id: contract, link }) });
        // Every request answered: a kept-alive socket the fake closed while the machine stalled is sent on
        // again by the sender itself (http-post.ts), not left to the alerter's next attempt.
        expect(await sender.send(request)).toEqual({ ok: true, statusCode: 200 });
      }),
      { numRuns: 40 },
    );
  }, 60_000); // 40 HTTP round trips: 1.5 s alone, over 20 s seen with the machine loaded

  it('a wrong token is not retried and its text never carries the token', async () => {
    const wrong = '999999:WRONG-token';
    const result = await createTelegramSender({ apiUrl: api.url }).send(deliveryRequest(destination({ secret: wrong })));
    expect(result).toMatchObject({ ok: false, retryable: false, statusCode: 401, error: 'telegram error 401: Unauthorized' });
    expect(JSON.stringify(result)).not.toContain(wrong);
  });

  it('an unknown chat and a bad config are not retried; a missing token is named', async () => {
    const sender = createTelegramSender({ apiUrl: api.url });
    expect(await sender.send(deliveryRequest(destination({ config: { chat_id: '-42' } })))).toMatchObject({
      ok: false,
      retryable: false,
      statusCode: 400,
      error: 'telegram error 400: Bad Request: chat not found',
    });
    const badConfig = await sender.send(deliveryRequest(destination({ config: { chat: CHAT } })));
    expect(badConfig).toMatchObject({ ok: false, retryable: false });
    expect(badConfig.ok === false && badConfig.error).toMatch(/^telegram destination config: /);
    expect(await sender.send(deliveryRequest(destination({ secret: null })))).toMatchObject({
      ok: false,
      retryable: false,
      error: expect.stringContaining('no bot token') as unknown,
    });
  });

  it('429 is retried after retry_after; 5xx, garbage and an unreachable API are retried', async () => {
    const sender = createTelegramSender({ apiUrl: api.url });
    api.fail({ kind: 'too_many_requests', retryAfterSec: 3 }, { kind: 'server_error' }, { kind: 'garbage' });
    expect(await sender.send(deliveryRequest(destination()))).toMatchObject({
      ok: false,
      retryable: true,
      statusCode: 429,
      retryAfterMs: 3000,
    });
    expect(await sender.send(deliveryRequest(destination()))).toMatchObject({ ok: false, retryable: true, statusCode: 502 });
    expect(await sender.send(deliveryRequest(destination()))).toMatchObject({
      ok: false,
      retryable: true,
      statusCode: 200,
      error: expect.stringContaining('not JSON') as unknown,
    });
    const down = await createTelegramSender({ apiUrl: 'http://127.0.0.1:9' }).send(deliveryRequest(destination()));
    expect(down).toMatchObject({ ok: false, retryable: true });
    expect(JSON.stringify(down)).not.toContain(TOKEN);
  });

  it('a hanging API is given up when the attempt is aborted', async () => {
    api.fail({ kind: 'hang' });
    const before = api.requests.length;
    const controller = new AbortController();
    const pending = createTelegramSender({ apiUrl: api.url }).send(deliveryRequest(destination(), { signal: controller.signal }));
    await eventually(() => api.requests.length > before);
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });
});
