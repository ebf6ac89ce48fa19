// GET /api/ohlc: candles of one contract and timeframe, oldest first.
import { apiGetJsonText } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { ohlcJson } from '@/lib/queries/ohlc.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGetJsonText(apiRoutes.ohlc, ohlcJson);
