// A withdrawn signal found again later: its alert was retracted, then the analyzer's re-run finds the same
// setup (same bar and type) at a later trigger bar, a new detected_signals row. The trader gets exactly one
// new alert for it (stored as `<key>|found 2`: the retracted alert's key does not swallow it), live and
// across alerter restarts, and nothing more on a restart after it. Found again before the withdrawal is
// judged, it is no withdrawal at all: the first alert stands, nothing is sent.
import { describe, expect, it } from 'vitest';
import type { SignalEvent } from '../../core/src/index.ts';
import { minuteBars, MINUTE, T0 } from '../../core/src/alerts/test-events.ts';
import type { AlerterService } from '../../alerter/src/alerter-service.ts';
import { rewindTarget } from '../../analyzer/src/signal-store.ts';
import { analysisUnits, type AnalysisUnit } from '../../analyzer/src/targets.ts';
import { WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { alerterReads } from '../support/alerter-reads.ts';
import { useAlerter } from '../support/use-alerter.ts';
import { addWebhook, alerterSettings, CONTRACT, rulesRoot, SECRET, writeAnalyzerStep, writeBar } from '../support/alerter-fixture.ts';
import { eventually } from '../support/eventually.ts';

let alerter: AlerterService | undefined;

const ground = useAlerter();
const { storedKeys, truncate } = alerterReads(() => ground.pool);

const RULES = `
- { name: trend-start, rule_type: signal, analyzer_id: trend, signal_types: [uptrend_start], contracts: [SIM.MES], timeframes: [1m] }
`;
const settings = alerterSettings({ max_attempts: 100, backoff_ms: 200, backoff_max_ms: 400, attempt_timeout_ms: 10_000 }, [
  { analyzer_id: 'trend', timeframes: ['1m'] },
]);
const unit = analysisUnits(settings)[0] as AnalysisUnit;
const root = rulesRoot({ 'a.yaml': RULES });
const bars = minuteBars(Array.from({ length: 16 }, (_, i) => 100 + i));
const KEY = `trend-start|${CONTRACT}|1m|${new Date(T0 + 2 * MINUTE).toISOString()}|uptrend_start`;

/** The uptrend start about bar 2, made knowable by bar `triggerIndex`. */
function trendAtBar2(triggerIndex: number): SignalEvent {
  return {
    kind: 'signal',
    analyzerId: 'trend',
    contractId: CONTRACT,
    timeframe: '1m',
    barTime: T0 + 2 * MINUTE,
    triggerTime: T0 + triggerIndex * MINUTE,
    type: 'uptrend_start',
    price: 100,
    details: {},
  };
}

async function deliveryStates(): Promise<string[]> {
  const { rows } = await ground.pool.query<{ s: string }>(
    `SELECT a.alert_key || ' ' || d.kind || ' ' || d.status AS s FROM alert_deliveries d JOIN alerts a USING (alert_id)
      ORDER BY a.alert_key, d.kind`,
  );
  return rows.map((r) => r.s);
}

/** Bars 0..9 and the analyzer at bar 9 with the uptrend start (triggered at bar 3): alerted and delivered. */
async function alertedAndDelivered(hookUrl: string): Promise<void> {
  await truncate();
  await ground.pool.query('TRUNCATE signal_withdrawals, alert_destinations CASCADE');
  await addWebhook(ground.pool, 'hook', `${hookUrl}/hook`);
  alerter = await ground.start(root, settings);
  for (const bar of bars.slice(0, 10)) await writeBar(ground.pool, bar);
  await writeAnalyzerStep(ground.pool, 'trend', '1m', bars[9]!.time, [trendAtBar2(3)]);
  await eventually(async () => (await deliveryStates()).join(',') === `${KEY} alert delivered`);
}

/** Bar 3 corrected: the re-run from it finds nothing up to bar 9. */
async function withdraw(): Promise<void> {
  await rewindTarget(ground.pool, unit, bars[3]!.time);
  await writeAnalyzerStep(ground.pool, 'trend', '1m', bars[9]!.time, []);
}

/** Bars 10..12: the re-run finds the uptrend start about bar 2 again, now triggered at bar 11. */
async function findAgain(): Promise<void> {
  for (const bar of bars.slice(10, 13)) await writeBar(ground.pool, bar);
  await writeAnalyzerStep(ground.pool, 'trend', '1m', bars[12]!.time, [trendAtBar2(11)]);
}

const retractedAndAlertedAgain = [`${KEY} alert delivered`, `${KEY} retraction delivered`, `${KEY}|found 2 alert delivered`].join(',');

/** Every step and retraction pass so far has run, and one more (a repeat must send nothing more). */
async function settle(): Promise<void> {
  await alerter!.evaluator.schedule();
  await alerter!.evaluator.idle();
}

/** What the receiver accepted, by kind: each accepted key once (no repeats). */
function accepted(hook: WebhookReceiver): { alerts: number; retractions: number; repeats: string[] } {
  const ok = hook.requests.filter((r) => r.answered === 200);
  const isRetraction = (body: unknown): boolean => (body as { kind?: string }).kind === 'retraction';
  return {
    alerts: new Set(ok.filter((r) => !isRetraction(r.body)).map((r) => r.key)).size,
    retractions: new Set(ok.filter((r) => isRetraction(r.body)).map((r) => r.key)).size,
    repeats: hook.repeats,
  };
}

async function restart(): Promise<void> {
  await alerter!.stop();
  alerter = await ground.start(root, settings);
}

describe('alerter: a withdrawn signal found again later', () => {
  it('is alerted again exactly once as a new alert after its retraction, and a restart sends nothing more', async () => {
    const hook = new WebhookReceiver(SECRET);
    const url = await hook.start();
    try {
      await alertedAndDelivered(url);
      await withdraw();
      await eventually(async () => (await deliveryStates()).join(',') === `${KEY} alert delivered,${KEY} retraction delivered`);
      // Found again while the alerter runs: its live engine had taken the withdrawn signal (same bar and
      // setup); it forgot it when the withdrawal was judged, so the repeat gate does not drop this one.
      await findAgain();
      await eventually(async () => (await deliveryStates()).join(',') === retractedAndAlertedAgain);
      await settle();
      await restart();
      await settle();
      expect(await deliveryStates()).toEqual(retractedAndAlertedAgain.split(','));
      expect(await storedKeys()).toEqual([KEY, `${KEY}|found 2`]);
      expect(accepted(hook)).toEqual({ alerts: 2, retractions: 1, repeats: [] });
      const { rows } = await ground.pool.query<{ alert_key: string; retracted: boolean }>(
        'SELECT alert_key, retracted_at IS NOT NULL AS retracted FROM alerts ORDER BY alert_id',
      );
      expect(rows).toEqual([
        { alert_key: KEY, retracted: true },
        { alert_key: `${KEY}|found 2`, retracted: false },
      ]);
    } finally {
      await alerter?.stop();
      alerter = undefined;
      await hook.stop();
    }
  });

  it('is alerted again exactly once when found again while the alerter is down, also with a restart mid-delivery', async () => {
    const hook = new WebhookReceiver(SECRET);
    const url = await hook.start();
    try {
      await alertedAndDelivered(url);
      await withdraw();
      await eventually(async () => (await deliveryStates()).join(',') === `${KEY} alert delivered,${KEY} retraction delivered`);
      await alerter!.stop();
      alerter = undefined;
      // Found again while the alerter is down (its NOTIFY goes to nobody); the webhook refuses for now.
      await findAgain();
      hook.setMode('/hook', { kind: 'status', status: 503 });
      alerter = await ground.start(root, settings);
      await eventually(async () => (await deliveryStates()).includes(`${KEY}|found 2 alert retrying`));
      await restart();
      hook.setMode('/hook', { kind: 'ok' });
      await eventually(async () => (await deliveryStates()).join(',') === retractedAndAlertedAgain);
      await settle();
      await restart();
      await settle();
      expect(await deliveryStates()).toEqual(retractedAndAlertedAgain.split(','));
      expect(accepted(hook)).toEqual({ alerts: 2, retractions: 1, repeats: [] });
    } finally {
      await alerter?.stop();
      alerter = undefined;
      await hook.stop();
    }
  });

  it('is alerted again exactly once when found again at the same trigger bar behind the alerter (the bar corrected back)', async () => {
    const hook = new WebhookReceiver(SECRET);
    const url = await hook.start();
    try {
      await alertedAndDelivered(url);
      await withdraw();
      await eventually(async () => (await deliveryStates()).join(',') === `${KEY} alert delivered,${KEY} retraction delivered`);
      // The re-run after the bar is corrected back stores it again, triggered at bar 3 as first: an event the
      // alerter once fed (its identity), now behind its watermark.
      await rewindTarget(ground.pool, unit, bars[3]!.time);
      await writeAnalyzerStep(ground.pool, 'trend', '1m', bars[9]!.time, [trendAtBar2(3)]);
      await eventually(async () => (await deliveryStates()).join(',') === retractedAndAlertedAgain);
      await settle();
      await restart();
      await settle();
      expect(await deliveryStates()).toEqual(retractedAndAlertedAgain.split(','));
      expect(accepted(hook)).toEqual({ alerts: 2, retractions: 1, repeats: [] });
    } finally {
      await alerter?.stop();
      alerter = undefined;
      await hook.stop();
    }
  });

  it('is no withdrawal when found again before the withdrawal is judged: the first alert stands, nothing is sent', async () => {
    const hook = new WebhookReceiver(SECRET);
    const url = await hook.start();
    try {
      await alertedAndDelivered(url);
      await alerter!.stop();
      alerter = undefined;
      // Withdrawn and found again at bar 11 while the alerter is down: it judges both at once.
      await withdraw();
      await findAgain();
      alerter = await ground.start(root, settings);
      await eventually(async () => (await ground.pool.query('SELECT 1 FROM signal_withdrawals WHERE handled_at IS NULL')).rowCount === 0);
      await settle();
      const { rows } = await ground.pool.query<{ restored: boolean }>('SELECT restored FROM signal_withdrawals');
      expect(rows).toEqual([{ restored: true }]);
      expect(await deliveryStates()).toEqual([`${KEY} alert delivered`]);
      expect(accepted(hook)).toEqual({ alerts: 1, retractions: 0, repeats: [] });
    } finally {
      await alerter?.stop();
      alerter = undefined;
      await hook.stop();
    }
  });
});
