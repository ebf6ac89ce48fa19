// Next.js proxy (formerly middleware; Node.js runtime). /api/*: unknown paths and unsupported methods
// are answered here, in JSON, before any route (web/lib/api/api-gate.ts); then who may ask and how
// often (web/lib/api/access-gate.ts), whose RateLimit headers go out with the answer. Pages: with
// auth.mode all, no session means /sign-in (web/lib/auth/page-gate.ts).
import { type NextRequest, NextResponse } from 'next/server';
import { checkAccess, SESSION_COOKIE } from './lib/api/access-gate.ts';
import { apiGate } from './lib/api/api-gate.ts';
import { clientAddress } from './lib/auth/client-address.ts';
import { pageRedirect } from './lib/auth/page-gate.ts';
import { webAccess } from './lib/server/access.ts';

export async function proxy(request: NextRequest): Promise<Response> {
  const { pathname, search } = request.nextUrl;
  const sessionCookie = request.cookies.get(SESSION_COOKIE)?.value;
  if (pathname !== '/api' && !pathname.startsWith('/api/')) {
    const target = await pageRedirect(pathname, search, sessionCookie, webAccess());
    return target === undefined ? NextResponse.next() : NextResponse.redirect(new URL(target, request.url));
  }
  const refused = apiGate(request.method, pathname);
  if (refused) return refused;
  const access = await checkAccess(
    {
      method: request.method,
      pathname,
      authorization: request.headers.get('authorization'),
      sessionCookie,
      clientAddress: clientAddress(request.headers),
    },
    webAccess(),
  );
  if (!access.allowed) return access.response;
  const next = NextResponse.next();
  for (const [name, value] of Object.entries(access.headers)) next.headers.set(name, value);
  return next;
}

// Pages too, but not Next's own assets, the chart boot script (web/public/chart-boot.js: code built
// from web/lib/chart, like _next/'s chunks) or the icon: those hold no data.
export const config = { matcher: ['/api', '/api/:path*', '/((?!_next/|chart-boot\\.js$|icon\\.svg|favicon\\.ico).*)'] };
