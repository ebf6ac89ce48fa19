// The refusal of a bar flush whose ticks could not be stored first (ingest-flusher.ts).

/** Thrown by a bar flush when the tick flush it waited for failed: a bar never commits before the
 * ticks it was built from, so its bars go back and are retried after those ticks. */
export class TicksNotStoredError extends Error {
  readonly code = 'TICKS_NOT_STORED';
  constructor() {
    super('the ticks these bars were built from are not stored yet (their flush failed); bars kept for the next flush');
  }
}
