// GET /api/contracts: the contracts table (with session timezones) and the configured timeframes.
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { contractsWithTimeframes } from '@/lib/queries/contracts.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.contracts, contractsWithTimeframes);
