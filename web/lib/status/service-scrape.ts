// Reads one service's /health (JSON) and /metrics (Prometheus text) for /status. A service that
// does not answer in time is "down", never an error of the page.
import 'server-only';
import { type HistogramSeries, parseHistograms } from '@barstream/core';
import { z } from 'zod';

/** Long enough for a loaded machine's scrape, short enough that one dead service cannot stall the page. */
const SCRAPE_TIMEOUT_MS = 2_000;

export type ServiceScrape =
  | {
      readonly name: string;
      readonly up: true;
      readonly health: Readonly<Record<string, unknown>>;
      readonly histograms: readonly HistogramSeries[];
    }
  | { readonly name: string; readonly up: false; readonly reason: string };

const healthSchema = z.record(z.string(), z.unknown());

export async function scrapeService(name: string, baseUrl: string): Promise<ServiceScrape> {
  try {
    const signal = AbortSignal.timeout(SCRAPE_TIMEOUT_MS);
    const [health, metrics] = await Promise.all([fetch(`${baseUrl}/health`, { signal }), fetch(`${baseUrl}/metrics`, { signal })]);
    if (!metrics.ok) return { name, up: false, reason: `/metrics answered ${metrics.status}` };
    // /health answers 503 with its report while a dependency is down: the service itself is up.
    const report = healthSchema.safeParse(await health.json().catch(() => ({})));
    return { name, up: true, health: report.success ? report.data : {}, histograms: parseHistograms(await metrics.text()) };
  } catch (err) {
    return { name, up: false, reason: (err as Error).name === 'TimeoutError' ? 'no answer in time' : (err as Error).message };
  }
}
