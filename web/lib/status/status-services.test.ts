import { parseSettings } from '@barstream/core/node';
import { describe, expect, it } from 'vitest';
import { statusServices } from './status-services.ts';

/** The least settings parse: one contract for the ingester. */
const minimal = {
  contracts: [{ id: 'SIM.X', provider: 'simulated', symbol: 'X', tick_size: 0.25, session_calendar: 'utc', start_price: 1 }],
  ingester: { contracts: ['SIM.X'] },
};

describe('statusServices', () => {
  it('lists the pipeline at its metrics ports, then alerter and trader by default', () => {
    const settings = parseSettings({ ...minimal, ingester: { ...minimal.ingester, metrics_port: 9201 }, analyzer: { metrics_port: 9202 } });
    expect(statusServices(settings)).toEqual([
      { name: 'ingester', baseUrl: 'http://127.0.0.1:9201' },
      { name: 'analyzer', baseUrl: 'http://127.0.0.1:9202' },
      { name: 'broadcaster', baseUrl: 'http://127.0.0.1:9103' },
      { name: 'alerter', baseUrl: 'http://127.0.0.1:9104' },
      { name: 'trader', baseUrl: 'http://127.0.0.1:9105' },
    ]);
  });

  it('takes the extra services and host from settings status', () => {
    const settings = parseSettings({ ...minimal, status: { host: '::1', services: [{ name: 'replayer', metrics_port: 9300 }] } });
    expect(statusServices(settings).map((s) => s.baseUrl)).toEqual([
      'http://[::1]:9101',
      'http://[::1]:9102',
      'http://[::1]:9103',
      'http://[::1]:9300',
    ]);
  });

  it('refuses a service without a valid port, naming the field', () => {
    expect(() => parseSettings({ ...minimal, status: { services: [{ name: 'alerter', metrics_port: 70000 }] } })).toThrow(
      /status\.services\[0\]\.metrics_port: expected a port number/,
    );
  });
});
