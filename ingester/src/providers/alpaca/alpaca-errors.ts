// Errors of the Alpaca provider, each with a stable code; the stream's documented error codes named.
import { BarstreamError } from '@barstream/core';

/** The stream's documented error codes (docs.alpaca.markets/docs/streaming-market-data#errors). */
export const STREAM_ERRORS: Readonly<Record<number, string>> = {
  400: 'invalid syntax',
  401: 'not authenticated',
  402: 'auth failed: check ALPACA_KEY_ID and ALPACA_SECRET_KEY',
  403: 'already authenticated',
  404: 'auth timeout: no auth message within 10 s of connecting',
  405: 'symbol limit exceeded',
  406: 'connection limit exceeded: another connection already uses this key on this feed',
  407: 'slow client',
  409: 'insufficient subscription: the account may not use this feed (try ALPACA_FEED=iex)',
  410: 'invalid subscribe action for this feed',
  500: 'internal error',
};

/** Errors a reconnect cannot fix until someone changes the settings or the account: retried slowly. */
export const CONFIGURATION_ERRORS: ReadonlySet<number> = new Set([402, 405, 409, 410]);

/** Errors someone must look at (logged at error level). 406 is among them but retried with the usual
 * backoff: after a drop the vendor may still count the dead connection for a while. */
export const LOUD_ERRORS: ReadonlySet<number> = new Set([...CONFIGURATION_ERRORS, 406]);

/** The stream sent {"T":"error"}: the connection is closed and, unless stopped, reopened later. */
export class AlpacaStreamError extends BarstreamError {
  constructor(
    readonly alpacaCode: number,
    readonly alpacaMessage: string,
  ) {
    super('alpaca_stream', `alpaca stream error ${alpacaCode} (${alpacaMessage}): ${STREAM_ERRORS[alpacaCode] ?? 'undocumented code'}`);
  }
}

/** Alpaca REST answered with a non-retryable status (e.g. 422 invalid symbol), or retries ran out. */
export class AlpacaHttpError extends BarstreamError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('alpaca_http', message);
  }
}

/** Alpaca REST answered 200 with a body that does not match the documented shape. */
export class AlpacaResponseError extends BarstreamError {
  constructor(message: string) {
    super('alpaca_response', message);
  }
}
