// alert_destinations through Prisma: list, create, replace, delete. The secret is write-only: stored,
// never selected into an answer (has_secret says whether there is one), never logged.
import { ConflictError, NotFoundError, ValidationError } from '@barstream/core';
import type { PrismaClient } from '@barstream/prisma';
import { type DestinationBody, SECRET_REQUIRED, type WireDestination } from '../api/destination-schemas.ts';

/** Every column but the secret, which an answer never carries. */
const PUBLIC_COLUMNS = {
  destinationId: true,
  name: true,
  kind: true,
  config: true,
  minSeverity: true,
  isActive: true,
  createdAt: true,
  updatedAt: true,
} as const;

interface PublicRow {
  destinationId: bigint;
  name: string;
  kind: string;
  config: unknown;
  minSeverity: string;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

function wireDestination(r: PublicRow, hasSecret: boolean): WireDestination {
  return {
    destination_id: Number(r.destinationId),
    name: r.name,
    kind: r.kind as WireDestination['kind'],
    config: (typeof r.config === 'object' && r.config !== null ? r.config : {}) as Record<string, unknown>,
    has_secret: hasSecret,
    min_severity: r.minSeverity as WireDestination['min_severity'],
    is_active: r.isActive,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

/** Rows with whether each has a secret, the secret itself left in the database. */
async function readDestinations(prisma: PrismaClient, where: { destinationId?: bigint } = {}): Promise<WireDestination[]> {
  const [rows, withSecret] = await Promise.all([
    prisma.alertDestination.findMany({ where, select: PUBLIC_COLUMNS, orderBy: { name: 'asc' } }),
    prisma.alertDestination.findMany({ where: { ...where, secret: { not: null } }, select: { destinationId: true } }),
  ]);
  const secretIds = new Set(withSecret.map((r) => r.destinationId));
  return rows.map((r) => wireDestination(r, secretIds.has(r.destinationId)));
}

export async function listDestinations(prisma: PrismaClient): Promise<{ destinations: WireDestination[] }> {
  return { destinations: await readDestinations(prisma) };
}

function requireSecret(body: DestinationBody, stored: boolean): void {
  const has = body.secret === undefined ? stored : body.secret !== null;
  if (!has && SECRET_REQUIRED.has(body.kind)) {
    throw new ValidationError(
      'secret',
      body.kind === 'webhook' ? 'is required: the HMAC-SHA256 signing key' : 'is required: the bot token',
    );
  }
}

async function requireFreeName(prisma: Pick<PrismaClient, 'alertDestination'>, name: string, except?: bigint): Promise<void> {
  const other = await prisma.alertDestination.findUnique({ where: { name }, select: { destinationId: true } });
  if (other && other.destinationId !== except) throw new ConflictError(`a destination named "${name}" already exists`);
}

export async function createDestination(prisma: PrismaClient, body: DestinationBody): Promise<WireDestination> {
  requireSecret(body, false);
  const id = await prisma.$transaction(async (tx) => {
    await requireFreeName(tx, body.name);
    const row = await tx.alertDestination.create({
      data: {
        name: body.name,
        kind: body.kind,
        config: body.config,
        secret: body.secret ?? null,
        minSeverity: body.min_severity,
        isActive: body.is_active,
      },
      select: { destinationId: true },
    });
    return row.destinationId;
  });
  return (await readDestinations(prisma, { destinationId: id }))[0] as WireDestination;
}

export async function replaceDestination(prisma: PrismaClient, id: bigint, body: DestinationBody): Promise<WireDestination> {
  await prisma.$transaction(async (tx) => {
    const current = await tx.alertDestination.findUnique({ where: { destinationId: id }, select: { secret: true } });
    if (!current) throw new NotFoundError(`destination ${id}`);
    requireSecret(body, current.secret !== null);
    await requireFreeName(tx, body.name, id);
    await tx.alertDestination.update({
      where: { destinationId: id },
      data: {
        name: body.name,
        kind: body.kind,
        config: body.config,
        ...(body.secret === undefined ? {} : { secret: body.secret }),
        minSeverity: body.min_severity,
        isActive: body.is_active,
        updatedAt: new Date(),
      },
    });
  });
  return (await readDestinations(prisma, { destinationId: id }))[0] as WireDestination;
}

export async function deleteDestination(prisma: PrismaClient, id: bigint): Promise<{ deleted: WireDestination }> {
  const [found] = await readDestinations(prisma, { destinationId: id });
  if (!found) throw new NotFoundError(`destination ${id}`);
  await prisma.alertDestination.delete({ where: { destinationId: id } });
  return { deleted: found };
}
