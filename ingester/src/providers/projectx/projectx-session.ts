// The Gateway session token: login with the API key, proactive refresh via Auth/validate, re-login on 401.
import type { Logger } from '@barstream/core/node';
import { readGatewayResponse } from './projectx-envelope.ts';
import { ProjectXApiError, ProjectXAuthError } from './projectx-errors.ts';
import type { ProjectXHttp } from './projectx-http.ts';
import { loginResponseSchema, validateResponseSchema } from './projectx-schemas.ts';

export interface ProjectXSessionOptions {
  readonly username: string;
  readonly apiKey: string;
  /** Tokens last 24 h; one older than this is refreshed before the next call. */
  readonly tokenRefreshMs: number;
  readonly logger?: Logger;
}

const LOGIN_PATH = '/api/Auth/loginKey';
const VALIDATE_PATH = '/api/Auth/validate';

export class ProjectXSession {
  private current: { token: string; issuedAt: number } | undefined;
  /** One login or refresh at a time: concurrent callers share it instead of minting several tokens. */
  private pending: Promise<string> | undefined;

  constructor(
    private readonly http: ProjectXHttp,
    private readonly options: ProjectXSessionOptions,
  ) {}

  /** The token last issued (undefined before the first login). */
  token(): string | undefined {
    return this.current?.token;
  }

  /** Logs in with the API key (again, if already logged in). */
  login(): Promise<string> {
    return this.shared(() => this.loginNow());
  }

  /** A token fit for the next call: logs in first if needed, refreshes one older than tokenRefreshMs. */
  async validToken(): Promise<string> {
    if (this.pending) return this.pending;
    const current = this.current;
    if (!current) return this.login();
    if (Date.now() - current.issuedAt < this.options.tokenRefreshMs) return current.token;
    return this.shared(() => this.refreshNow(current.token));
  }

  /** After a 401 with `rejected`: logs in again, unless another caller already replaced that token. */
  async renewAfterUnauthorized(rejected: string): Promise<string> {
    if (this.pending) return this.pending;
    if (this.current && this.current.token !== rejected) return this.current.token;
    this.options.logger?.info('ProjectX token rejected (HTTP 401), logging in again');
    return this.login();
  }

  private shared(operation: () => Promise<string>): Promise<string> {
    this.pending ??= operation().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async loginNow(): Promise<string> {
    const { username, apiKey } = this.options;
    let body: unknown;
    try {
      // No caller signal: a login is shared by every waiting call, one caller's abort must not fail the rest.
      body = await this.http.post(LOGIN_PATH, { userName: username, apiKey }, undefined);
      const { token } = readGatewayResponse(LOGIN_PATH, body, loginResponseSchema);
      this.current = { token, issuedAt: Date.now() };
      this.options.logger?.info({ username }, 'ProjectX login succeeded');
      return token;
    } catch (error) {
      if (error instanceof ProjectXApiError && (error.code === 'projectx_error' || isAuthStatus(error.detail.status))) {
        const reason =
          error.detail.errorMessage ??
          (error.detail.status !== undefined ? `HTTP ${error.detail.status}` : `errorCode ${error.detail.errorCode ?? 'none'}`);
        throw new ProjectXAuthError(`ProjectX login failed for user ${username}: ${reason}`, { cause: error });
      }
      throw error;
    }
  }

  private async refreshNow(oldToken: string): Promise<string> {
    try {
      const body = await this.http.post(VALIDATE_PATH, {}, oldToken);
      const { newToken } = readGatewayResponse(VALIDATE_PATH, body, validateResponseSchema);
      this.current = { token: newToken, issuedAt: Date.now() };
      this.options.logger?.debug('ProjectX token refreshed');
      return newToken;
    } catch (error) {
      // An expired or revoked token cannot be validated: a fresh login is the way back.
      if (error instanceof ProjectXAuthError) throw error;
      this.options.logger?.warn({ err: error }, 'ProjectX token refresh failed, logging in again');
      return this.loginNow();
    }
  }
}

function isAuthStatus(status: number | undefined): boolean {
  return status === 401 || status === 403;
}
