// When a quiet connection counts as dead: decided from samples of its traffic, counted in checks,
// never from how long one answer took — a loaded machine delays answers and checks alike.
//
// A sample reads the socket's byte counters. Anything read since the last sample means the server
// is alive (an answer, a notification, any message). A request written and followed by nothing read
// is an unanswered check; the connection is dead only after `deadAfter` consecutive such samples.
// While the reader is paused (flow control) nothing can be read, so paused samples prove nothing
// either way and reset the count.

export interface TrafficSample {
  /** Bytes read from the socket so far. */
  readonly bytesRead: number;
  /** Bytes written to the socket so far. */
  readonly bytesWritten: number;
  /** True while reading is paused on purpose. */
  readonly paused: boolean;
}

export interface LivenessState {
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** Something was written after the last byte read: the server owes an answer. */
  readonly awaitingAnswer: boolean;
  /** Consecutive samples in which the owed answer did not come. */
  readonly unansweredChecks: number;
}

export type LivenessVerdict = 'alive' | 'waiting' | 'dead';

export function initialLiveness(sample: Pick<TrafficSample, 'bytesRead' | 'bytesWritten'>): LivenessState {
  return { bytesRead: sample.bytesRead, bytesWritten: sample.bytesWritten, awaitingAnswer: false, unansweredChecks: 0 };
}

export function nextLiveness(
  state: LivenessState,
  sample: TrafficSample,
  deadAfter: number,
): { state: LivenessState; verdict: LivenessVerdict } {
  const read = sample.bytesRead > state.bytesRead;
  const wrote = sample.bytesWritten > state.bytesWritten;
  const counters = { bytesRead: sample.bytesRead, bytesWritten: sample.bytesWritten };
  if (read) {
    // The server answered or sent something. A request written in the same interval may still be
    // owed: it is judged from the next sample on.
    return { state: { ...counters, awaitingAnswer: wrote, unansweredChecks: 0 }, verdict: 'alive' };
  }
  if (sample.paused) {
    return { state: { ...counters, awaitingAnswer: state.awaitingAnswer || wrote, unansweredChecks: 0 }, verdict: 'waiting' };
  }
  if (!state.awaitingAnswer && !wrote) {
    return { state: { ...counters, awaitingAnswer: false, unansweredChecks: 0 }, verdict: 'alive' }; // idle both ways
  }
  // A request is owed. The interval it was written in does not count against it: it may have been
  // written just before this sample.
  const unansweredChecks = state.awaitingAnswer ? state.unansweredChecks + 1 : 0;
  return {
    state: { ...counters, awaitingAnswer: true, unansweredChecks },
    verdict: unansweredChecks >= deadAfter ? 'dead' : 'waiting',
  };
}
