'use client';
// Last-resort boundary: an unexpected render failure still shows a message, never a blank page.
import { ErrorState } from '@/components/error-state.tsx';

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const digest = (error as Error & { digest?: unknown }).digest;
  // Server errors reach the browser without their message; the digest matches the server log.
  return typeof digest === 'string' ? `Server error (reference ${digest}).` : error.message;
}

export default function RouteError({ error, retry }: { readonly error: unknown; readonly retry: () => void }) {
  return (
    <ErrorState title="Something went wrong" message={describe(error)}>
      <button type="button" onClick={() => retry()}>
        Try again
      </button>
    </ErrorState>
  );
}
