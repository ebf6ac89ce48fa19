// Errors the Binance REST client throws, each with a stable code.
import { BarstreamError } from '@barstream/core';

/** Binance answered with a non-retryable status (e.g. 400 invalid symbol), or retries ran out. */
export class BinanceHttpError extends BarstreamError {
  constructor(
    readonly status: number,
    readonly binanceCode: number | undefined,
    message: string,
  ) {
    super('binance_http', message);
  }
}

/** Binance answered 200 with a body that does not match the documented shape. */
export class BinanceResponseError extends BarstreamError {
  constructor(message: string) {
    super('binance_response', message);
  }
}
