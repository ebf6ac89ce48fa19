'use client';
// The sign-in form: one password-type field for the key (never echoed, never put in the URL).
import { useActionState } from 'react';
import { signIn, type SignInState } from '@/lib/auth/sign-in-action.ts';

const INITIAL: SignInState = { error: null };

export function SignInForm({ next }: { readonly next: string }) {
  const [state, action, pending] = useActionState(signIn, INITIAL);
  return (
    <form action={action} className="sign-in-form">
      <input type="hidden" name="next" value={next} />
      <label htmlFor="api-key">API key</label>
      <input id="api-key" name="key" type="password" autoComplete="off" spellCheck={false} required placeholder="bsk_…" />
      <button type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
      {state.error !== null && (
        <p className="sign-in-error" role="alert" data-testid="sign-in-error">
          {state.error}
        </p>
      )}
    </form>
  );
}
