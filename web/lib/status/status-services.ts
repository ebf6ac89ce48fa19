// The services /status asks: the three of the pipeline at their configured metrics ports, then
// every entry of settings status.services (alerter, trader, and whatever is added there).
import type { Settings } from '@barstream/core';

export interface StatusService {
  readonly name: string;
  readonly baseUrl: string;
}

export function statusServices(settings: Settings): StatusService[] {
  const at = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const { host } = settings.status;
  return [
    { name: 'ingester', baseUrl: at(host, settings.ingester.metrics_port) },
    { name: 'analyzer', baseUrl: at(host, settings.analyzer.metrics_port) },
    { name: 'broadcaster', baseUrl: at(host, settings.broadcaster.metrics_port) },
    ...settings.status.services.map((s) => ({ name: s.name, baseUrl: at(host, s.metrics_port) })),
  ];
}
