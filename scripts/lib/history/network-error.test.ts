import { describe, expect, it } from 'vitest';
import { describedFetch, describeNetworkError } from './network-error.ts';

/** An error shaped like Node's: a code (and, for OpenSSL, a reason) on the cause undici wraps. */
function nodeError(message: string, props: Record<string, unknown>): Error {
  return Object.assign(new Error(message), props);
}
const fetchFailed = (cause: unknown): TypeError => new TypeError('fetch failed', { cause });

describe('describeNetworkError', () => {
  it('names the cause under undici\'s "fetch failed", one line each', () => {
    expect(describeNetworkError(fetchFailed(nodeError('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' })))).toBe(
      'connection refused (ECONNREFUSED)',
    );
    expect(describeNetworkError(fetchFailed(nodeError('getaddrinfo ENOTFOUND x.invalid', { code: 'ENOTFOUND' })))).toBe(
      'host not found (DNS) (ENOTFOUND)',
    );
    expect(
      describeNetworkError(
        fetchFailed(
          nodeError('80DC:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:ssl3_record.c:350:\n', {
            code: 'ERR_SSL_WRONG_VERSION_NUMBER',
            reason: 'wrong version number',
          }),
        ),
      ),
    ).toBe('TLS failed: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)');
    expect(describeNetworkError(fetchFailed(nodeError('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })))).toBe(
      'TLS failed: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
    );
  });

  it('looks inside an AggregateError (a host with both an IPv6 and an IPv4 address), and gives up on anything else', () => {
    const both = new AggregateError([
      nodeError('connect ECONNREFUSED ::1:1', { code: 'ECONNREFUSED' }),
      nodeError('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }),
    ]);
    expect(describeNetworkError(fetchFailed(both))).toBe('connection refused (ECONNREFUSED)');
    expect(describeNetworkError(fetchFailed(new Error('bad port')))).toBeUndefined();
    expect(describeNetworkError('not an error')).toBeUndefined();
  });

  it('describedFetch says the origin and the cause, and passes other failures through untouched', async () => {
    const refused = describedFetch(() => Promise.reject(fetchFailed(nodeError('connect ECONNREFUSED', { code: 'ECONNREFUSED' }))));
    await expect(refused('http://127.0.0.1:1/api/v3/klines?x=1')).rejects.toThrow(
      new Error('http://127.0.0.1:1: connection refused (ECONNREFUSED)'),
    );
    const aborted = new DOMException('This operation was aborted', 'AbortError');
    await expect(describedFetch(() => Promise.reject(aborted))('http://x.test/')).rejects.toBe(aborted);
  });
});
