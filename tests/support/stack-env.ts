// The environment that runs the whole system (`npm start`) on free ports and its own data dir, for
// tests and benchmarks that start it beside other runs. Never the user's DATABASE_URL or config.
import { freePort } from './free-port.ts';

/** A type alias, not an interface: it stays assignable to Record<string, number> for callers that list ports. */
export type StackPorts = {
  readonly pg: number;
  readonly web: number;
  readonly ws: number;
  readonly ingester: number;
  readonly analyzer: number;
  readonly broadcaster: number;
  readonly alerter: number;
  readonly trader: number;
};

export async function freeStackPorts(): Promise<StackPorts> {
  return {
    pg: await freePort(),
    web: await freePort(),
    ws: await freePort(),
    ingester: await freePort(),
    analyzer: await freePort(),
    broadcaster: await freePort(),
    alerter: await freePort(),
    trader: await freePort(),
  };
}

/** process.env with the ports and data dir set, and DATABASE_URL / BARSTREAM_CONFIG removed. The
 * simulator trades around the clock (SIM_MARKET_HOURS=always): a stack test must not depend on the
 * weekday it runs on (SIM.MES follows the CME calendar under `npm start`). */
export function stackEnv(ports: StackPorts, dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BARSTREAM_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(ports.pg),
    WEB_PORT: String(ports.web),
    WEBSOCKET_PORT: String(ports.ws),
    INGESTER_METRICS_PORT: String(ports.ingester),
    ANALYZER_METRICS_PORT: String(ports.analyzer),
    BROADCASTER_METRICS_PORT: String(ports.broadcaster),
    SIM_MARKET_HOURS: 'always',
    ALERTER_METRICS_PORT: String(ports.alerter),
    TRADER_METRICS_PORT: String(ports.trader),
  };
  delete env.DATABASE_URL;
  delete env.BARSTREAM_CONFIG;
  return { ...env, ...extra };
}
