// Root layout: self-hosted Inter (no font download at build time) and the one stylesheet.
import '@fontsource/inter/400.css';
import '@fontsource/inter/600.css';
import './globals.css';
import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { AlertToasts } from '@/components/alerts/alert-toasts.tsx';
import type { BroadcasterEndpoint } from '@/lib/chart/broadcaster-endpoint.ts';
import { webConfig } from '@/lib/server/config.ts';
import { broadcasterEndpoint } from '@/lib/trends-view.ts';

export const metadata: Metadata = {
  title: { default: 'barstream', template: '%s · barstream' },
  description: 'Live market bars and trend starts from your own PostgreSQL',
};

/** Where the alert toasts listen; none when the settings cannot be read (the page itself says why). */
function toastEndpoint(): BroadcasterEndpoint | null {
  try {
    return broadcasterEndpoint(webConfig().settings);
  } catch {
    return null;
  }
}

export default function RootLayout({ children }: { readonly children: ReactNode }) {
  const broadcaster = toastEndpoint();
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            barstream
          </Link>
          <nav>
            <Link href="/trends">Trends</Link>
            <Link href="/strategies">Strategies</Link>
            <Link href="/backtest">Backtest</Link>
            <Link href="/alerts">Alerts</Link>
            <Link href="/rules">Rules</Link>
            <Link href="/watchlist">Watchlist</Link>
            <Link href="/status">Status</Link>
          </nav>
        </header>
        <main className="site-main">{children}</main>
        {broadcaster && <AlertToasts broadcaster={broadcaster} />}
      </body>
    </html>
  );
}
