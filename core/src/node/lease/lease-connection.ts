// The dedicated PostgreSQL session an instance's leases live in: session-level advisory locks die with
// it, so a killed process's units are free as soon as its backend sees the socket close.
import pg from 'pg';
import { type LeaseKey, leaseApplicationName, type LeaseService } from '../../leases/lease-key.ts';
import type { Logger } from '../logger.ts';

/** application_name is at most 63 bytes; the prefix names the service, the rest the instance. */
const APPLICATION_NAME_MAX = 63;
/** A dead peer (server host gone, no FIN) is noticed within about this by TCP keepalive. */
const KEEPALIVE_DELAY_MS = 5_000;

export class LeaseConnection {
  private client: pg.Client | undefined;
  private lost = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly service: LeaseService,
    readonly instanceId: string,
    private readonly logger: Logger,
  ) {}

  /** The name other instances count this one by (pg_stat_activity.application_name). */
  get applicationName(): string {
    return `${leaseApplicationName(this.service)}:${this.instanceId}`.slice(0, APPLICATION_NAME_MAX);
  }

  get connected(): boolean {
    return this.client !== undefined && !this.lost;
  }

  /** Connects when not connected; true when this call made a new session (locks held before are gone). */
  async ensure(): Promise<boolean> {
    if (this.connected) return false;
    await this.close();
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: this.applicationName,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
      connectionTimeoutMillis: 10_000,
    });
    // Unhandled, a lost connection's 'error' would kill the process: the next cycle reconnects.
    client.on('error', (err) => {
      if (!this.lost) this.logger.warn({ err: err.message }, 'lease connection lost; reconnecting');
      this.lost = true;
    });
    await client.connect();
    // The lease session must never be ended by the server for idling between cycles
    // (idle_session_timeout exists from PostgreSQL 14 on).
    await client.query(
      `DO $$ BEGIN
         IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'idle_session_timeout') THEN SET idle_session_timeout = 0; END IF;
       END $$`,
    );
    this.client = client;
    this.lost = false;
    return true;
  }

  /** Live instances of the service: sessions carrying its lease application name (this one included). */
  async liveInstances(): Promise<number> {
    const prefix = `${leaseApplicationName(this.service)}:`;
    const { rows } = await this.session().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND starts_with(application_name, $1)`,
      [prefix],
    );
    return rows[0]?.n ?? 1;
  }

  async tryLock(key: LeaseKey): Promise<boolean> {
    const { rows } = await this.session().query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int4, $2::int4) AS ok', [
      key.namespace,
      key.hash,
    ]);
    return rows[0]?.ok === true;
  }

  /** A take of a fenced unit (after winning its lock, before reading what is stored): its epoch goes up
   * by one, once every write still holding the unit's fence lock has ended (lease_epoch_bump, migration
   * 018), so any write of the previous holder has committed before this returns, or will fail. */
  async bumpEpoch(unit: string): Promise<number> {
    const { rows } = await this.session().query<{ epoch: string }>('SELECT lease_epoch_bump($1, $2) AS epoch', [this.service, unit]);
    return Number(rows[0]?.epoch);
  }

  /** The unit's epoch as stored (undefined: never taken with fencing). */
  async storedEpoch(unit: string): Promise<number | undefined> {
    const { rows } = await this.session().query<{ epoch: string }>('SELECT epoch FROM lease_epochs WHERE service = $1 AND unit = $2', [
      this.service,
      unit,
    ]);
    return rows[0] ? Number(rows[0].epoch) : undefined;
  }

  async unlock(key: LeaseKey): Promise<void> {
    await this.session().query('SELECT pg_advisory_unlock($1::int4, $2::int4)', [key.namespace, key.hash]);
  }

  /** Ends the session: PostgreSQL frees every lock it held. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => undefined);
  }

  private session(): pg.Client {
    if (!this.client || this.lost) throw new Error('lease connection is not connected');
    return this.client;
  }
}
