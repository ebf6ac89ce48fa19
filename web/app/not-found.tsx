// Unknown paths: say so and point home.
import Link from 'next/link';
import { ErrorState } from '@/components/error-state.tsx';

export default function NotFound() {
  return (
    <ErrorState title="Page not found" message="There is nothing at this address.">
      <Link href="/">Back to the contracts</Link>
    </ErrorState>
  );
}
