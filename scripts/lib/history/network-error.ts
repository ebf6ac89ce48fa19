// What a failed request to a provider says: undici's fetch throws 'fetch failed' and hides the cause
// (refused connection, unknown host, TLS) one or two levels down, where a user never sees it. The
// history commands hand the provider clients a fetch whose failures name that cause in one line.

/** Codes of the usual causes, in the words a user reads. */
const CAUSES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
};

/** Certificate failures carry OpenSSL's X509 codes, without a common prefix. */
const CERTIFICATE_CODES = /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|ERR_TLS_CERT)/;

/** The network cause of `err` in one line, e.g. 'connection refused (ECONNREFUSED)'; undefined when it has none. */
export function describeNetworkError(err: unknown): string | undefined {
  for (const e of causes(err)) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code === undefined) continue;
    const known = CAUSES[code];
    if (known !== undefined) return `${known} (${code})`;
    if (code.startsWith('ERR_SSL_') || code === 'EPROTO' || code.startsWith('ERR_TLS_') || CERTIFICATE_CODES.test(code)) {
      const reason = typeof e.reason === 'string' ? e.reason : firstLine(e.message);
      return `TLS failed: ${reason} (${code})`;
    }
  }
  return undefined;
}

/**
 * `fetchFn` whose network failures throw an Error saying the origin and the cause. The original is not
 * attached as its cause: the clients print an error's cause beside its message, and undici's adds only
 * 'fetch failed'.
 */
export function describedFetch(fetchFn: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    try {
      return await fetchFn(input, init);
    } catch (err) {
      const cause = describeNetworkError(err);
      if (cause === undefined) throw err;
      throw new Error(`${originOf(input)}: ${cause}`);
    }
  };
}

type ErrorLike = Error & { code?: unknown; reason?: unknown; errors?: unknown };

/** The error and everything under it: its causes, and an AggregateError's errors (a host with IPv4 and IPv6). */
function causes(err: unknown, depth = 0): ErrorLike[] {
  if (!(err instanceof Error) || depth > 5) return [];
  const e = err as ErrorLike;
  const nested = Array.isArray(e.errors) ? (e.errors as unknown[]).flatMap((x) => causes(x, depth + 1)) : [];
  return [e, ...causes(e.cause, depth + 1), ...nested];
}

function originOf(input: Parameters<typeof fetch>[0]): string {
  try {
    return new URL(input instanceof Request ? input.url : input.toString()).origin;
  } catch {
    return 'request';
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}
