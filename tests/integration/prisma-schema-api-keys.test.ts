// schema.prisma against the migrations: API keys.
import { describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../prisma/index.ts';
import { later, usePrismaDatabase } from '../support/prisma-schema-fixture.ts';

let prisma: PrismaClient;
usePrismaDatabase((client) => (prisma = client));

describe('schema.prisma agrees with the SQL migrations: API keys', () => {
  it('writes and reads ApiKey, one per prefix, scope read or write', async () => {
    const data = { name: 'ci', scope: 'write', prefix: 'abcdef123456', hash: 'scrypt$1024$8$1$salt$hash' };
    const created = await prisma.apiKey.create({ data });
    expect(created.id).toBeGreaterThan(0n);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created).toMatchObject({ lastUsedAt: null, revokedAt: null });
    await prisma.apiKey.update({ where: { prefix: data.prefix }, data: { revokedAt: later } });
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } })).revokedAt?.toISOString()).toBe(later.toISOString());
    await expect(prisma.apiKey.create({ data })).rejects.toThrow();
    await expect(prisma.apiKey.create({ data: { ...data, prefix: '000000000000', scope: 'admin' } })).rejects.toThrow();
  });
});
