// The histogram buckets every pipeline stage shares (seconds, Prometheus's unit): the stages run in
// milliseconds, so the buckets are dense from 0.1 ms to 100 ms and sparse up to the 5 s a stalled
// stage reaches; one set everywhere lets the dashboard and /status compare stages bucket for bucket.
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
