// GET /api/ohlc: candles of one contract and timeframe, oldest first.
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { ohlc } from '@/lib/queries/ohlc.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.ohlc, ohlc);
