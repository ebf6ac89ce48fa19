// The address a request's anonymous rate limit counts against. Next sets X-Forwarded-For to the
// socket's address when the request has none; a proxy in front appends the address it saw, so the
// last entry is the nearest hop's view. A client talking to Next directly can send its own header:
// per-address limits are a courtesy, keys (auth.mode: all) are the control (docs/SECURITY.md).
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for');
  const last = forwarded?.split(',').at(-1)?.trim();
  return last ? last.slice(0, 100) : 'unknown';
}
