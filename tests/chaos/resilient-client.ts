// A browser-like broadcaster client: keeps the bars it is told about, reconnects when dropped, and on
// (re)connect or `resync` refetches the range from the database (what /trends does via /api/ohlc).
import type pg from 'pg';
import WebSocket from 'ws';

export interface ClientBar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  closed: boolean;
}

export class ResilientClient {
  readonly bars = new Map<string, ClientBar>();
  reconnects = 0;
  resyncs = 0;
  private socket: WebSocket | undefined;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly contractId: string,
  ) {}

  start(): void {
    if (this.stopped) return;
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'subscribe', channel: 'bars', contract_id: this.contractId }));
      void this.refetch();
    });
    socket.on('message', (data: Buffer) => {
      const m = JSON.parse(String(data)) as Record<string, unknown>;
      if (m.type === 'ohlc' && m.contract_id === this.contractId) {
        this.bars.set(key(m.timeframe_unit as number, m.timeframe_value as number, Date.parse(m.timestamp as string)), {
          open: m.open as number,
          high: m.high as number,
          low: m.low as number,
          close: m.close as number,
          volume: m.volume as number,
          closed: m.is_closed as boolean,
        });
      } else if (m.type === 'resync') {
        this.resyncs++;
        void this.refetch();
      }
    });
    const retry = () => {
      if (this.stopped || this.socket !== socket) return;
      this.socket = undefined;
      this.reconnects++;
      setTimeout(() => this.start(), 200);
    };
    socket.on('close', retry);
    socket.on('error', () => socket.terminate());
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
  }

  /** Whole-range refetch, merged: the stored row wins over what live messages said. */
  async refetch(): Promise<void> {
    try {
      const { rows } = await this.pool.query<{
        u: number;
        v: number;
        t: number;
        open: number;
        high: number;
        low: number;
        close: number;
        volume: number;
        is_closed: boolean;
      }>(
        `SELECT timeframe_unit AS u, timeframe_value AS v, (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume, is_closed
           FROM ohlc_bars WHERE contract_id = $1`,
        [this.contractId],
      );
      for (const r of rows) {
        const k = key(r.u, r.v, r.t);
        // A snapshot taken before a bar closed must not undo the close message that followed it.
        if (!r.is_closed && this.bars.get(k)?.closed) continue;
        this.bars.set(k, { open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume, closed: r.is_closed });
      }
    } catch {
      // the database is restarting: the next resync or reconnect refetches
    }
  }
}

export const key = (unit: number, value: number, time: number): string => `${unit}|${value}|${time}`;
