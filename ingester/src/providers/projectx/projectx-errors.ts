// Errors of the ProjectX Gateway client: one class per failure a caller may react to differently.
import { BarstreamError } from '@barstream/core';

/** A Gateway call that failed: HTTP status, envelope `success: false`, or a response of the wrong shape. */
export class ProjectXApiError extends BarstreamError {
  constructor(
    code: 'projectx_http' | 'projectx_error' | 'projectx_bad_response' | 'projectx_unreachable',
    message: string,
    readonly detail: { readonly path: string; readonly status?: number; readonly errorCode?: number; readonly errorMessage?: string },
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** Credentials refused (bad user name or API key): retrying will not help. */
export class ProjectXAuthError extends BarstreamError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('projectx_auth', message, options);
  }
}

/** The caller's AbortSignal fired. */
export class ProjectXAbortError extends BarstreamError {
  constructor(what: string) {
    super('aborted', `${what} aborted`);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new ProjectXAbortError(what);
}
