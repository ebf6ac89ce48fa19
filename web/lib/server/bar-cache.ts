// The web process's one RecentBarsCache: reads through Prisma, LISTENs on ohlc_update and
// bars_imported (core's NotificationListener) from first use until the process ends.
import 'server-only';
import { databaseUrl, NotificationListener } from '@barstream/core/node';
import { OHLC_MAX_LIMIT } from '../api/query-fields.ts';
import { webConfig } from './config.ts';
import { db } from './db.ts';
import { webLogger } from './logger.ts';
import { readNewestBarsBinary } from './binary-stored-bars.ts';
import { RecentBarsCache } from './recent-bars-cache.ts';
import { readNewestBars } from './stored-bars.ts';

const holder = globalThis as typeof globalThis & { __barstreamRecentBars?: RecentBarsCache };

export function recentBars(): RecentBarsCache {
  holder.__barstreamRecentBars ??= startCache();
  return holder.__barstreamRecentBars;
}

function startCache(): RecentBarsCache {
  // /api/ohlc's largest answers (100,000 bars) come from here too once read: from the database they
  // cost about 2.5 times the CPU (each bar read, decoded and written as JSON again).
  const cache = new RecentBarsCache({
    read: (range) => readNewestBars(db(), range),
    fillRead: (range) => readNewestBarsBinary(db(), range),
    maxBarsPerSeries: OHLC_MAX_LIMIT,
  });
  const logger = webLogger();
  const listener = new NotificationListener({
    connectionString: databaseUrl(webConfig().settings),
    channels: ['ohlcUpdate', 'barsImported'],
    logger,
    onReconnected: () => cache.setListening(true),
    onDisconnected: () => cache.setListening(false),
    onInvalidPayload: (channel, reason) => logger.warn({ channel, reason }, 'bar cache: notification ignored'),
  });
  listener.on('ohlcUpdate', (m) => cache.noteBar(m.contract_id, m.timeframe_unit, m.timeframe_value, Date.parse(m.timestamp)));
  listener.on('barsImported', (m) =>
    cache.noteImport(m.contract_id, m.timeframe_unit, m.timeframe_value, Date.parse(m.from), Date.parse(m.to)),
  );
  // Until LISTEN is active every read goes to the database.
  void listener.start().then(() => cache.setListening(true));
  return cache;
}
