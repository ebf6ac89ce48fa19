// The alert destinations API on a real PostgreSQL (Prisma, as the route handlers run it): secrets are
// stored but never answered; a missing secret or a bad body is a ValidationError naming the field, a
// duplicate name 409; nothing stored for any of them.
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../core/src/errors.ts';
import { destinationBodySchema } from '../../web/lib/api/destination-schemas.ts';
import { createDestination, deleteDestination, listDestinations, replaceDestination } from '../../web/lib/queries/destinations.ts';
import { body, fieldOf, rejectedField, useApiDatabase } from '../support/api-database.ts';

const db = useApiDatabase();
const count = (table: string): Promise<number> => db.count(table);

describe('/api/destinations', () => {
  const webhook = { name: 'ops-hook', kind: 'webhook', config: { url: 'https://hooks.example.com/a' }, secret: 'TOP-SECRET-1' };

  it('stores the secret but never answers it: has_secret instead', async () => {
    const created = await createDestination(db.prisma, body(destinationBodySchema, webhook));
    expect(created).toMatchObject({
      name: 'ops-hook',
      kind: 'webhook',
      config: { url: 'https://hooks.example.com/a', format: 'plain' },
      has_secret: true,
    });
    expect(JSON.stringify(created)).not.toContain('TOP-SECRET');
    expect(JSON.stringify(await listDestinations(db.prisma))).not.toContain('TOP-SECRET');
    expect((await db.client.query(`SELECT secret FROM alert_destinations WHERE name = 'ops-hook'`)).rows).toEqual([
      { secret: 'TOP-SECRET-1' },
    ]);

    // Replace without a secret keeps it; null removes it (e-mail may go without a password).
    const id = BigInt(created.destination_id);
    const { secret: _kept, ...withoutSecret } = webhook;
    expect(
      (await replaceDestination(db.prisma, id, body(destinationBodySchema, { ...withoutSecret, min_severity: 'warning' }))).has_secret,
    ).toBe(true);
    const email = {
      name: 'ops-mail',
      kind: 'email',
      config: { to: ['a@example.com'], from: 'bs@example.com', host: 'smtp.example.com' },
      secret: null,
    };
    const mailed = await replaceDestination(db.prisma, id, body(destinationBodySchema, email));
    expect(mailed).toMatchObject({ kind: 'email', has_secret: false, config: { port: 587, secure: false } });
    expect((await deleteDestination(db.prisma, id)).deleted.name).toBe('ops-mail');
    await expect(deleteDestination(db.prisma, id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a webhook or Telegram destination without its secret, and a duplicate name; nothing stored', async () => {
    const before = await count('alert_destinations');
    expect(await rejectedField(createDestination(db.prisma, body(destinationBodySchema, { ...webhook, secret: undefined })))).toBe(
      'secret',
    );
    expect(
      await rejectedField(
        createDestination(db.prisma, body(destinationBodySchema, { name: 'tg', kind: 'telegram', config: { chat_id: 42 } })),
      ),
    ).toBe('secret');
    await createDestination(db.prisma, body(destinationBodySchema, webhook));
    await expect(createDestination(db.prisma, body(destinationBodySchema, webhook))).rejects.toBeInstanceOf(ConflictError);
    expect(await count('alert_destinations')).toBe(before + 1);
  });

  it.each([
    [{ ...webhook, kind: 'sms' }, 'kind'],
    [{ ...webhook, config: { url: 'ftp://x' } }, 'config.url'],
    [{ ...webhook, config: { url: 'https://x', format: 'teams' } }, 'config.format'],
    [{ ...webhook, config: { url: 'https://x', token: 'y' } }, 'config.token'],
    [{ name: 'm', kind: 'email', config: { to: 'not-mail', from: 'a@b.co', host: 'h' } }, 'config.to'],
    [{ name: 'm', kind: 'email', config: { to: 'a@b.co', from: 'a@b.co', host: 'h', port: 70000 } }, 'config.port'],
    [{ ...webhook, name: '' }, 'name'],
    [{ ...webhook, min_severity: 'loud' }, 'min_severity'],
  ])('body %j → 400 naming %s', (json, field) => {
    expect(fieldOf(() => body(destinationBodySchema, json))).toBe(field);
  });
});
