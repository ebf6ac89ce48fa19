// The e-mail sender against a local SMTP server (real protocol, AUTH required): what it sends, and
// how each SMTP answer is classified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailSender, deliveryMessageId } from '../../alerter/src/destinations/email-sender.ts';
import { FakeSmtpReceiver } from '../fakes/smtp-receiver.ts';
import { deliveryRequest } from '../support/delivered-alert.ts';
import { eventually } from '../support/eventually.ts';

const PASSWORD = 'smtp-pa55-secret';
let smtp: FakeSmtpReceiver;

beforeAll(async () => {
  smtp = await FakeSmtpReceiver.start({ user: 'alerts', pass: PASSWORD });
});
afterAll(async () => {
  await smtp?.close();
});

function destination(overrides: { secret?: string | null; config?: Record<string, unknown> } = {}) {
  return {
    id: 2,
    name: 'mail',
    kind: 'email' as const,
    config: overrides.config ?? {
      to: ['trader@example.com', 'desk@example.com'],
      from: 'barstream@example.com',
      host: smtp.host,
      port: smtp.portNumber,
      user: 'alerts',
    },
    secret: overrides.secret === undefined ? PASSWORD : overrides.secret,
  };
}

describe('e-mail destination', () => {
  it('sends one message with the alert, a Message-ID from the idempotency key and the key as a header', async () => {
    const before = smtp.mails.length;
    const result = await createEmailSender().send(deliveryRequest(destination(), { idempotencyKey: 'alert-42:dest-2' }));
    expect(result).toEqual({ ok: true });
    const mail = smtp.mails[before];
    expect(mail).toMatchObject({ from: 'barstream@example.com', to: ['trader@example.com', 'desk@example.com'], user: 'alerts' });
    expect(mail?.headers.get('subject')).toBe('[warning] mes-trend-start: SIM.MES 5m uptrend_start (long)');
    expect(mail?.headers.get('message-id')).toBe(deliveryMessageId('alert-42:dest-2'));
    expect(mail?.headers.get('idempotency-key')).toBe('alert-42:dest-2');
    expect(mail?.headers.get('x-barstream-alert-id')).toBe('42');
    expect(mail?.body).toContain('Entry: 5600.25');
    expect(mail?.body).toContain('Stop: 5590.5');
  });

  it('every attempt of one delivery carries the same Message-ID, another delivery a different one', () => {
    expect(deliveryMessageId('a:1')).toBe(deliveryMessageId('a:1'));
    expect(deliveryMessageId('a:1')).not.toBe(deliveryMessageId('a:2'));
    expect(deliveryMessageId('a:1')).toMatch(/^<[0-9a-f]{32}@barstream>$/);
  });

  it('a wrong password is not retried and the password never appears in the result', async () => {
    const wrong = 'not-the-password';
    const result = await createEmailSender().send(deliveryRequest(destination({ secret: wrong })));
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(JSON.stringify(result)).not.toContain(wrong);
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
    expect(smtp.authFailures).toContain('alerts');
  });

  it('a transient reply (451) is retried, a permanent one (550) is not', async () => {
    smtp.fail({ kind: 'reply', code: 451, message: 'Try again later' }, { kind: 'reply', code: 550, message: 'Mailbox unavailable' });
    expect(await createEmailSender().send(deliveryRequest(destination()))).toMatchObject({ ok: false, retryable: true, statusCode: 451 });
    expect(await createEmailSender().send(deliveryRequest(destination()))).toMatchObject({ ok: false, retryable: false, statusCode: 550 });
  });

  it('a bad config names its key and is not retried; an unreachable server is retried', async () => {
    const bad = await createEmailSender().send(
      deliveryRequest(destination({ config: { to: 'not an address', from: 'a@b.c', host: 'h' } })),
    );
    expect(bad).toMatchObject({ ok: false, retryable: false });
    expect(bad.ok === false && bad.error).toMatch(/^email destination config: to: /);
    const down = await createEmailSender().send(
      deliveryRequest(destination({ config: { to: 't@example.com', from: 'f@example.com', host: '127.0.0.1', port: 9 } })),
    );
    expect(down).toMatchObject({ ok: false, retryable: true });
  });

  it('a server that stalls at DATA is given up when the attempt is aborted', async () => {
    smtp.fail({ kind: 'stall' });
    const controller = new AbortController();
    let settled = false;
    const pending = createEmailSender({ timeoutMs: 600_000 })
      .send(deliveryRequest(destination(), { signal: controller.signal }))
      .finally(() => {
        settled = true;
      });
    // Give the client time to reach DATA without a clock: the stall fault is consumed when DATA ends.
    await eventually(() => (smtp as unknown as { faults: unknown[] }).faults.length === 0);
    expect(settled).toBe(false);
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, retryable: true });
  });
});
