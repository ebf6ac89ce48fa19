// The trends chart's read of its alerts (/api/alerts of one contract and timeframe). The chart's
// alert markers import this module when they load, after the chart has mounted: the alerts client
// and its schemas (the rules' schemas, the YAML reader and indicator registry behind them) are not
// needed to draw the candles, and left out of the page's first scripts they are not downloaded,
// parsed and run before the chart can mount.
import { ALERTS_MAX_LIMIT, type WireAlert } from '../api/alert-schemas.ts';
import { fetchAlerts } from './alerts-client.ts';

export async function fetchChartAlerts(contractId: string, timeframe: string): Promise<readonly WireAlert[]> {
  const query = new URLSearchParams({ contract_id: contractId, timeframe, limit: String(ALERTS_MAX_LIMIT) });
  return (await fetchAlerts(query)).alerts;
}
