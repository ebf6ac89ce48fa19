// Node.js flags the ingester runs with (supervisor, run-services.sh and bench:ingest use them):
// a capped old generation makes V8 collect early instead of growing to hundreds of MB of garbage;
// the live state (forming bars, a bounded tick buffer) needs a small fraction of it.
export const INGESTER_NODE_FLAGS: readonly string[] = ['--max-old-space-size=160'];
