// Node.js flags the web server (Next's standalone server) runs with: npm start's supervisor, bench:web and
// `npm run start -w web` (web/scripts/start-server.ts) use this list. A 10,000-bar /api/ohlc answer allocates a
// few MB of short-lived objects (rows, wire bars, their JSON); with V8's default 16 MB young
// generation they were scavenged mid-request and promoted. With 64 MB, bench:web's p95 went from
// 53.5 to 41.6 ms and throughput from 24 to 28 req/s (same machine, same load).
export const WEB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
