// GET /session/ws-ticket: a short-lived signed ticket the page hands the broadcaster (?ticket=), so no
// shared secret reaches the browser. Anyone who may read gets one; with auth.mode all, a session.
import { NextResponse } from 'next/server';
import { issueWsTicket } from '@/lib/auth/ws-ticket.ts';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const ticket = await issueWsTicket();
  const headers = { 'cache-control': 'no-store' };
  if (!ticket) {
    return NextResponse.json(
      { error: { code: 'unauthorized', message: 'sign in at /sign-in to watch live data' } },
      { status: 401, headers },
    );
  }
  return NextResponse.json(ticket, { headers });
}
