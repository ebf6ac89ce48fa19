// Requests per window for each API key, and for each client address without one: a fixed window
// from rate-limiter-flexible's in-memory limiter (one web process, so memory is the right store;
// several processes behind a balancer would share a Redis or PostgreSQL one from the same package).
// Answers carry the IETF draft's RateLimit-Policy / RateLimit headers, and a refusal Retry-After.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimitSettings {
  readonly per_key: number;
  readonly per_ip: number;
  readonly window_seconds: number;
  readonly limit_loopback: boolean;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/** Whose budget a request spends: an API key's (by id) or a client address's. */
export type RateSubject = { readonly keyId: string } | { readonly address: string };

export interface RateDecision {
  readonly allowed: boolean;
  /** RateLimit-Policy and RateLimit on every answer; Retry-After too when refused. */
  readonly headers: Readonly<Record<string, string>>;
}

export class RequestRateLimits {
  private readonly perKey: RateLimiterMemory;
  private readonly perIp: RateLimiterMemory;

  constructor(private readonly settings: RateLimitSettings) {
    this.perKey = new RateLimiterMemory({ keyPrefix: 'key', points: settings.per_key, duration: settings.window_seconds });
    this.perIp = new RateLimiterMemory({ keyPrefix: 'ip', points: settings.per_ip, duration: settings.window_seconds });
  }

  async take(subject: RateSubject): Promise<RateDecision> {
    if ('address' in subject && !this.settings.limit_loopback && LOOPBACK.test(subject.address)) return { allowed: true, headers: {} };
    const [limiter, policy, quota, id] =
      'keyId' in subject
        ? [this.perKey, 'key', this.settings.per_key, subject.keyId]
        : [this.perIp, 'ip', this.settings.per_ip, subject.address];
    let allowed: boolean;
    let res: RateLimiterRes;
    try {
      res = await limiter.consume(id);
      allowed = true;
    } catch (rejection) {
      // The limiter rejects with its result object when over the limit; anything else is a bug.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      res = rejection;
      allowed = false;
    }
    const resetSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    const headers: Record<string, string> = {
      'ratelimit-policy': `"${policy}";q=${quota};w=${this.settings.window_seconds}`,
      ratelimit: `"${policy}";r=${res.remainingPoints};t=${resetSeconds}`,
    };
    if (!allowed) headers['retry-after'] = String(resetSeconds);
    return { allowed, headers };
  }
}
