// Makes a real `ws` client stop reading, as a stalled browser tab does: its TCP receive window
// fills, then the server's send buffer, then what the server holds for it in memory.
import type { Socket } from 'node:net';
import type WebSocket from 'ws';

export function stopReading(ws: WebSocket): void {
  rawSocket(ws).pause();
}

export function resumeReading(ws: WebSocket): void {
  rawSocket(ws).resume();
}

function rawSocket(ws: WebSocket): Socket {
  // ws keeps its net.Socket in a private field; no public API stops a client from reading.
  return (ws as unknown as { _socket: Socket })._socket;
}
