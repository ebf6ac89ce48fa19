// /sign-in?next=…: open a session with an API key (auth.mode all, or to make writes from the pages).
import type { Metadata } from 'next';
import { SignInForm } from '@/components/auth/sign-in-form.tsx';
import { safeNextPath } from '@/lib/auth/safe-next-path.ts';
import { sessionPrincipal } from '@/lib/auth/session.ts';
import { signOut } from '@/lib/auth/sign-in-action.ts';
import { webAccess } from '@/lib/server/access.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { readonly searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const target = safeNextPath(Array.isArray(next) ? next[0] : next);
  const mode = await webAccess()
    .mode()
    .catch(() => null);
  const current = await sessionPrincipal().catch(() => undefined);
  return (
    <section className="sign-in">
      <h1>Sign in</h1>
      {mode === 'off' && <p className="muted">Sign-in is not needed here: auth.mode is off (no API key exists, or it was set so).</p>}
      {current && (
        <form action={signOut} className="sign-in-current">
          <p>
            Signed in with key <strong>{current.name}</strong> ({current.scope}).
          </p>
          <button type="submit">Sign out</button>
        </form>
      )}
      <p className="muted">
        Paste an API key (<code>npm run keys -- create --name &lt;name&gt; --scope read|write</code>). The page keeps a session cookie, not
        the key.
      </p>
      <SignInForm next={target} />
    </section>
  );
}
