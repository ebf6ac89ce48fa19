// Small live / reconnecting / offline indicator for the broadcaster connection.
import type { ConnectionStatus } from '@/lib/chart/broadcaster-socket.ts';

export function ConnectionBadge({ status }: { readonly status: ConnectionStatus }) {
  return (
    <span className={`badge badge-${status}`} data-testid="connection-status" role="status">
      {status}
    </span>
  );
}
