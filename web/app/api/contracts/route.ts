// GET /api/contracts: the contracts table and the timeframes the ingester builds.
import { jsonResponse } from '@/lib/http-errors.ts';
import { contractsWithTimeframes } from '@/lib/queries/contracts.ts';

export const dynamic = 'force-dynamic';

export function GET(): Promise<Response> {
  return jsonResponse(contractsWithTimeframes);
}
