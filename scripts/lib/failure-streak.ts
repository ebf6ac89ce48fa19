// Counts a service's failures in a row that look the same (exit code or signal, and its last line of
// output), so the supervisor can stop a crash loop with its reason instead of restarting it forever.
import { stripVTControlCharacters } from 'node:util';

/** Signals that come from outside (an operator's kill, a stop): the service itself did not fail. */
const EXTERNAL_SIGNALS = new Set<string>(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP']);

export function isExternalSignal(signal: string): boolean {
  return EXTERNAL_SIGNALS.has(signal);
}

export interface Failure {
  readonly code: number | null;
  readonly signal: string | null;
  /** The last non-empty line the process printed (its reason, when it says one). */
  readonly lastLine: string;
}

export class FailureStreak {
  private signature: string | undefined;
  private count = 0;

  constructor(private readonly limit: number) {}

  /** Records an exit; returns the reason to give up with once `limit` identical failures ran in a row. */
  record(failure: Failure): string | undefined {
    if (failure.signal && isExternalSignal(failure.signal)) {
      this.reset();
      return undefined;
    }
    const how = failure.signal ? `killed by ${failure.signal}` : `exit code ${failure.code}`;
    const signature = `${how}|${normalize(failure.lastLine)}`;
    this.count = signature === this.signature ? this.count + 1 : 1;
    this.signature = signature;
    if (this.count < this.limit) return undefined;
    return `failed ${this.count} times in a row the same way (${how}${failure.lastLine ? `: ${failure.lastLine}` : ''})`;
  }

  /** A run that lasted (or a stop from outside) ends the streak. */
  reset(): void {
    this.signature = undefined;
    this.count = 0;
  }
}

/** Times, PIDs and other digits differ between otherwise identical failures. */
function normalize(line: string): string {
  return stripVTControlCharacters(line).replace(/\d+/g, '#').trim();
}
