// How long a test waits for a condition before failing. A deadline, not a margin: a condition that
// holds returns at once, so a generous deadline costs nothing when things work and keeps a loaded
// machine (CI beside a CPU hog) from turning slowness into a failure.
export const CONDITION_TIMEOUT_MS = 30_000;
