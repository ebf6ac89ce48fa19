// A real `ws` client that records every JSON message a broadcaster sends it.
import { CONDITION_TIMEOUT_MS } from './condition-timeout.ts';
import WebSocket from 'ws';

export class WsCollector {
  readonly messages: Array<Record<string, unknown>> = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  }

  static async connect(url: string, headers?: Record<string, string>): Promise<WsCollector> {
    const socket = new WebSocket(url, { headers });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return new WsCollector(socket);
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  ofType(type: string): Array<Record<string, unknown>> {
    return this.messages.filter((m) => m.type === type);
  }

  async waitFor(predicate: (m: Record<string, unknown>) => boolean, timeoutMs = CONDITION_TIMEOUT_MS): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching WebSocket message within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.socket.close();
  }
}
