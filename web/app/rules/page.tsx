// /rules: alert rules (toggle, create, edit the YAML with validation errors inline) and where alerts go.
import type { Metadata } from 'next';
import { DestinationList } from '@/components/alerts/destination-list.tsx';
import { RuleEditor } from '@/components/alerts/rule-editor.tsx';
import { listDestinations } from '@/lib/queries/destinations.ts';
import { listRules } from '@/lib/queries/rules.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Rules' };

export default async function RulesPage() {
  const [{ rules }, { destinations }] = await Promise.all([listRules(db()), listDestinations(db())]);
  return (
    <section className="rules-page">
      <h1>Alert rules</h1>
      <p className="muted">
        Rules from config/rules are read-only here (edit the file and restart the alerter); rules created here are stored in the database.
        Rules with <code>contracts: watchlist</code> apply to the <a href="/watchlist">watchlist</a>.
      </p>
      <RuleEditor initial={rules} />
      <h1 id="destinations">Destinations</h1>
      <DestinationList initial={destinations} />
    </section>
  );
}
