'use server';
// The sign-in form's server action: a valid key opens a session and goes on to where the visitor was
// headed; anything else answers why, and sets nothing.
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { webAccess } from '../server/access.ts';
import { safeNextPath } from './safe-next-path.ts';
import { closeSession, openSession } from './session.ts';

export interface SignInState {
  readonly error: string | null;
}

export async function signIn(_previous: SignInState, form: FormData): Promise<SignInState> {
  const key = form.get('key');
  if (typeof key !== 'string' || key.trim() === '')
    return { error: 'Enter an API key (npm run keys -- create --name <name> --scope read).' };
  const principal = await webAccess().verifier.verify(key.trim());
  if (!principal) return { error: 'That is not a valid API key: it is malformed, unknown or revoked.' };
  const proto = (await headers()).get('x-forwarded-proto');
  await openSession(principal, proto === 'https');
  const next = form.get('next');
  redirect(safeNextPath(typeof next === 'string' ? next : undefined));
}

export async function signOut(): Promise<void> {
  await closeSession();
  redirect('/sign-in');
}
