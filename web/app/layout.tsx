// Root layout: self-hosted Inter (no font download at build time) and the one stylesheet.
import '@fontsource/inter/400.css';
import '@fontsource/inter/600.css';
import './globals.css';
import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';

export const metadata: Metadata = {
  title: { default: 'barstream', template: '%s · barstream' },
  description: 'Live market bars and trend starts from your own PostgreSQL',
};

export default function RootLayout({ children }: { readonly children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            barstream
          </Link>
          <nav>
            <Link href="/trends">Trends</Link>
            <Link href="/status">Status</Link>
          </nav>
        </header>
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}
