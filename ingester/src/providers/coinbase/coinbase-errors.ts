// Errors the Coinbase REST client throws, each with a stable code.
import { BarstreamError } from '@barstream/core';

/** Coinbase answered with a non-retryable status (e.g. 404 unknown product), or retries ran out. */
export class CoinbaseHttpError extends BarstreamError {
  constructor(
    readonly status: number,
    readonly coinbaseError: string | undefined,
    message: string,
  ) {
    super('coinbase_http', message);
  }
}

/** Coinbase answered 200 with a body that does not match the documented shape. */
export class CoinbaseResponseError extends BarstreamError {
  constructor(message: string) {
    super('coinbase_response', message);
  }
}
