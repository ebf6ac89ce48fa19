// Leases on units of work for one service instance: every retry_ms it counts the live instances,
// hands back what exceeds its fair share and tries to lock units nobody holds, telling the service
// which units to start and stop. A second instance is a hot standby; several share the units.
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import { planLeases } from '../../leases/fair-share.ts';
import { leaseKey, type LeaseService } from '../../leases/lease-key.ts';
import type { Logger } from '../logger.ts';
import { LeaseConnection } from './lease-connection.ts';
import { createLeaseMetrics, type LeaseMetrics } from './lease-metrics.ts';

/** What the service does when a unit becomes its own, or stops being. */
export interface LeaseHandler {
  /** The lease is held: start working on the unit, resuming from what is stored. */
  acquired(unit: string): Promise<void> | void;
  /** Stop working on the unit (flush what is buffered); the lease is given up once this resolves. */
  released(unit: string): Promise<void> | void;
}

export interface LeaseManagerOptions {
  readonly service: LeaseService;
  readonly databaseUrl: string;
  /** The units of work there are now (it may change: watchlist additions, new paper runs). */
  readonly units: () => readonly string[];
  readonly retryMs: number;
  readonly logger: Logger;
  readonly handler: LeaseHandler;
  /** Default: host and process id. */
  readonly instanceId?: string;
  /** Each take bumps the unit's epoch (lease_epochs, migration 018) before `acquired`, and epochOf()
   * hands it to the unit's writes, which check it (lease_fence_check): a write the previous holder
   * still had under way then commits before the take, or fails. */
  readonly fenced?: boolean;
}

export class LeaseManager {
  private readonly connection: LeaseConnection;
  private readonly heldUnits = new Set<string>();
  /** Fenced: the epoch of each unit whose lock this session holds (kept while a released unit flushes). */
  private readonly epochs = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private cycle: Promise<void> = Promise.resolve();
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  private live = 0;
  private metrics: LeaseMetrics | undefined;
  /** Cycles completed (counted like lease_cycles_total). */
  cycles = 0;

  constructor(private readonly options: LeaseManagerOptions) {
    const id = options.instanceId ?? `${hostname()}-${process.pid}`;
    this.connection = new LeaseConnection(options.databaseUrl, options.service, id, options.logger);
  }

  get instanceId(): string {
    return this.connection.instanceId;
  }

  get held(): ReadonlySet<string> {
    return this.heldUnits;
  }

  holds(unit: string): boolean {
    return this.heldUnits.has(unit);
  }

  /** Fenced: the epoch the unit was taken at, while its lock is held (undefined: not held, or lost). */
  epochOf(unit: string): number | undefined {
    return this.epochs.get(unit);
  }

  /** lease_units_held, lease_live_instances and lease_cycles_total on the service's registry. */
  registerMetrics(registry: Registry): void {
    this.metrics = createLeaseMetrics(registry, () => ({ held: this.heldUnits.size, liveInstances: this.live }));
  }

  health(): Record<string, unknown> {
    return { instance: this.instanceId, held: [...this.heldUnits].sort(), liveInstances: this.live, cycles: this.cycles };
  }

  /** Runs the first cycle (a lone instance holds every unit when this resolves), then one every retryMs. */
  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'running';
    await this.runCycle();
  }

  /** A cycle now (e.g. units were added), after the one in progress. */
  poke(): Promise<void> {
    return this.runCycle();
  }

  /** Stops the units' work, then ends the session (which frees every lock). */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    if (this.timer) clearTimeout(this.timer);
    await this.cycle;
    for (const unit of [...this.heldUnits]) await this.stopWork(unit);
    await this.connection.close();
    this.epochs.clear();
  }

  private runCycle(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.cycle = this.cycle
      .then(() => this.once())
      .catch((err: unknown) => this.options.logger.warn({ err: (err as Error).message }, 'lease cycle failed; retrying'))
      .finally(() => {
        this.cycles++;
        this.metrics?.cycles.inc();
        if (this.state === 'running') this.timer = setTimeout(() => void this.runCycle(), this.options.retryMs);
      });
    return this.cycle;
  }

  private async once(): Promise<void> {
    if (this.state !== 'running') return;
    const { logger, service } = this.options;
    if (await this.connection.ensure()) await this.relockAfterReconnect();
    this.live = await this.connection.liveInstances();
    const plan = planLeases(this.instanceId, this.options.units(), this.heldUnits, this.live);
    for (const unit of plan.release) {
      await this.stopWork(unit);
      await this.connection.unlock(leaseKey(service, unit));
      this.epochs.delete(unit);
      logger.info({ unit, liveInstances: this.live }, 'lease released (fair share)');
    }
    const share = Math.ceil(this.options.units().length / Math.max(1, this.live));
    for (const unit of plan.tryLock) {
      if (this.heldUnits.size >= share || this.state !== 'running') break;
      if (!(await this.connection.tryLock(leaseKey(service, unit)))) continue;
      // Before the unit counts as held (its work reads what is stored): see LeaseConnection.bumpEpoch.
      if (this.options.fenced && !(await this.takeEpoch(unit))) continue;
      this.heldUnits.add(unit);
      logger.info({ unit, liveInstances: this.live, epoch: this.epochs.get(unit) }, 'lease acquired');
      try {
        await this.options.handler.acquired(unit);
      } catch (err) {
        logger.warn({ unit, err: (err as Error).message }, 'starting a leased unit failed; lease given back');
        this.heldUnits.delete(unit);
        await this.connection.unlock(leaseKey(service, unit));
        this.epochs.delete(unit);
      }
    }
  }

  /** Fenced: bumps the unit's epoch; on failure the lock just won is given back (tried again next cycle). */
  private async takeEpoch(unit: string): Promise<boolean> {
    try {
      this.epochs.set(unit, await this.connection.bumpEpoch(unit));
      return true;
    } catch (err) {
      this.options.logger.warn({ unit, err: (err as Error).message }, 'taking the lease epoch failed; lease given back');
      await this.connection.unlock(leaseKey(this.options.service, unit)).catch(() => undefined);
      return false;
    }
  }

  /** The session was lost (e.g. PostgreSQL restarted) and with it the locks: the units still worked on
   * are locked again; one another instance took meanwhile is stopped here. Fenced, a unit locked again
   * whose epoch moved was taken (and given back) by another instance meanwhile: stopped too, and given
   * back, so that the next cycle takes it afresh from what is stored. Its epoch is forgotten before it
   * stops, so what its writes still held is dropped (it is the new holder's), not retried. */
  private async relockAfterReconnect(): Promise<void> {
    const { logger, service } = this.options;
    for (const unit of [...this.heldUnits]) {
      const key = leaseKey(service, unit);
      if (await this.connection.tryLock(key)) {
        const held = this.epochs.get(unit);
        if (!this.options.fenced || (await this.connection.storedEpoch(unit)) === held) continue;
        logger.warn({ unit, epoch: held }, 'lease taken by another instance while disconnected (its epoch moved); restarting it');
        this.epochs.delete(unit);
        await this.stopWork(unit);
        await this.connection.unlock(key);
        continue;
      }
      logger.warn({ unit }, 'lease lost while disconnected: another instance holds it now');
      this.epochs.delete(unit);
      await this.stopWork(unit);
    }
  }

  private async stopWork(unit: string): Promise<void> {
    this.heldUnits.delete(unit);
    try {
      await this.options.handler.released(unit);
    } catch (err) {
      this.options.logger.warn({ unit, err: (err as Error).message }, 'stopping a leased unit failed');
    }
  }
}
