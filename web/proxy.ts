// Next.js proxy (formerly middleware) for /api/*: unknown paths and unsupported methods are
// answered here, in JSON, before any route (web/lib/api/api-gate.ts).
import { type NextRequest, NextResponse } from 'next/server';
import { apiGate } from './lib/api/api-gate.ts';

export function proxy(request: NextRequest): Response {
  return apiGate(request.method, request.nextUrl.pathname) ?? NextResponse.next();
}

export const config = { matcher: ['/api', '/api/:path*'] };
