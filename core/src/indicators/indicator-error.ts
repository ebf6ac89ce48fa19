// IndicatorError: the single error type thrown by the indicators package, carrying a machine-readable code.

/** Machine-readable reasons an indicator call can fail. */
export type IndicatorErrorCode =
  /** The name's kind (the part before the first `_`) is not registered. */
  | 'UNKNOWN_INDICATOR'
  /** Known kind, but wrong number of parameters or a parameter out of range / not in canonical form. */
  | 'INVALID_PARAMS'
  /** A price fed to an indicator is not a finite number, or a bar is internally inconsistent (high < low). */
  | 'INVALID_INPUT'
  /** A bar's time is not strictly after the last committed bar's time (duplicate, replay or out-of-order bar). */
  | 'OUT_OF_ORDER_BAR';

export class IndicatorError extends Error {
  readonly code: IndicatorErrorCode;

  constructor(code: IndicatorErrorCode, message: string) {
    super(message);
    this.name = 'IndicatorError';
    this.code = code;
  }
}
