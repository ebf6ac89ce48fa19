// Reads the contracts table; each contract carries its session calendar's timezone, and the
// timeframes on offer are the ones the ingester builds.
import 'server-only';
import { formatTimeframe, NotFoundError, parseTimeframe, sameTimeframe, type Timeframe } from '@barstream/core';
import type { ContractsResponse, WireContract } from '../api/response-schemas.ts';
import { calendarSpec } from '../server/calendars.ts';
import { webConfig } from '../server/config.ts';
import { db } from '../server/db.ts';

export async function listContracts(): Promise<WireContract[]> {
  const settings = webConfig().settings;
  const rows = await db().contract.findMany({ orderBy: { id: 'asc' } });
  return rows.map((c) => {
    const calendar = calendarSpec(settings, c.sessionCalendar);
    return {
      id: c.id,
      provider: c.provider,
      symbol: c.symbol,
      name: c.name,
      description: c.description,
      tick_size: c.tickSize,
      session_calendar: c.sessionCalendar,
      timezone: calendar?.timezone ?? null,
      session_open: calendar?.sessionOpen ?? null,
    };
  });
}

export async function contractExists(id: string): Promise<boolean> {
  return (await db().contract.count({ where: { id } })) > 0;
}

/** The ingester's timeframes, in the order configured (settings.ingester.timeframes). */
export function configuredTimeframes(): string[] {
  return [...webConfig().settings.ingester.timeframes];
}

export async function contractsWithTimeframes(): Promise<ContractsResponse> {
  return { contracts: await listContracts(), timeframes: configuredTimeframes() };
}

/** 404 naming the configured timeframes unless `timeframe` is one of them: no bars exist for others. */
export function requireConfiguredTimeframe(timeframe: Timeframe): void {
  const configured = configuredTimeframes();
  if (!configured.some((text) => sameTimeframe(parseTimeframe(text), timeframe))) {
    throw new NotFoundError(`timeframe '${formatTimeframe(timeframe)}'`, configured);
  }
}

/** The analyzers the analyzer service runs (settings.analyzer.targets), each once, in order. */
export function configuredAnalyzers(): string[] {
  return [...new Set(webConfig().settings.analyzer.targets.map((t) => t.analyzer_id))];
}

/** 404 naming the configured analyzers unless `analyzerId` is one of them. */
export function requireConfiguredAnalyzer(analyzerId: string): void {
  const configured = configuredAnalyzers();
  if (!configured.includes(analyzerId)) throw new NotFoundError(`analyzer '${analyzerId}'`, configured);
}
