// Error classes with a stable code: every layer throws these, web maps them to HTTP once.
export class BarstreamError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Input that failed validation: names the field and the reason. */
export class ValidationError extends BarstreamError {
  readonly field: string;
  constructor(field: string, reason: string) {
    super('invalid_input', `${field}: ${reason}`);
    this.field = field;
  }
}

export class NotFoundError extends BarstreamError {
  /** What does exist, when it is a short list the caller chooses from (configured timeframes). */
  readonly available: readonly string[] | undefined;
  constructor(what: string, available?: readonly string[]) {
    super(
      'not_found',
      available === undefined
        ? `${what} not found`
        : `${what} not found; ${available.length > 0 ? `there are: ${available.join(', ')}` : 'none are configured'}`,
    );
    this.available = available;
  }
}

export class ConfigError extends BarstreamError {
  constructor(message: string) {
    super('invalid_config', message);
  }
}

/** A request the stored state refuses (a duplicate name, a rule or strategy owned by a config file, starting a finished run): HTTP 409. */
export class ConflictError extends BarstreamError {
  constructor(message: string) {
    super('conflict', message);
  }
}
