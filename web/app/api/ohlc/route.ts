// GET /api/ohlc: candles of one contract and timeframe, oldest first.
import { NotFoundError } from '@barstream/core';
import type { NextRequest } from 'next/server';
import { jsonResponse } from '@/lib/http-errors.ts';
import { parseOhlcQuery } from '@/lib/params.ts';
import { contractExists } from '@/lib/queries/contracts.ts';
import { newestBars, toOhlcResponse } from '@/lib/queries/ohlc.ts';

export const dynamic = 'force-dynamic';

export function GET(request: NextRequest): Promise<Response> {
  return jsonResponse(async () => {
    const q = parseOhlcQuery(request.nextUrl.searchParams);
    const bars = await newestBars(q);
    // Only an empty answer pays for the lookup that tells "no bars yet" from "no such contract".
    if (bars.length === 0 && !(await contractExists(q.contractId))) throw new NotFoundError(`contract '${q.contractId}'`);
    return toOhlcResponse(q, bars);
  });
}
