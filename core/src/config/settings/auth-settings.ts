// The auth: section of config/settings.yaml: API keys, sessions, tickets and rate limits.
import { z } from 'zod';

/** Access to /api/* and the live stream: API keys, sessions, WebSocket tickets, rate limits (docs/SECURITY.md). */
export const authSettingsSchema = z
  .strictObject({
    /** off: no checks; write: writes need a write key, reads open; all: every request needs a key or
     * a session. Unset: write once any API key exists, else off. */
    mode: z.enum(['off', 'write', 'all']).optional(),
    /** Signs session cookies and WebSocket tickets; shared by web and broadcaster. Unset: generated
     * once into auth-secret beside the embedded data dir. */
    secret: z.string().min(32, { error: 'expected at least 32 characters (the value is a secret and not shown)' }).optional(),
    /** How long a WebSocket ticket is accepted after it was issued. */
    ticket_ttl_seconds: z.number().int().min(5).max(3_600).default(60),
    session_ttl_hours: z
      .number()
      .positive()
      .max(24 * 90)
      .default(12),
    rate_limit: z
      .strictObject({
        /** Requests per window for one API key (or one signed-in session's key). */
        per_key: z.number().int().positive().default(200),
        /** Requests per window for one client address without a key. */
        per_ip: z.number().int().positive().default(100),
        window_seconds: z.number().int().positive().max(86_400).default(1),
        /** Whether loopback clients (127.0.0.1, ::1: this machine's tools, benchmarks, a local proxy
         * that does not set X-Forwarded-For) count against per_ip. Keys always count. */
        limit_loopback: z.boolean().default(false),
      })
      .prefault({}),
  })
  .prefault({});
