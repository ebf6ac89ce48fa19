// Retractions of confluence alerts (a 5m trend in force and a 1m trend start): what a trader expects is a
// retraction when the confluence no longer holds, naming the part that was withdrawn — the 1m trigger, or
// the 5m trend it stood on when no other 5m trend in force upholds it — exactly once, across restarts.
// A withdrawn 5m trend with another one still in force behind it retracts nothing.
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
const { truncate } = alerterReads(() => ground.pool);

const RULES = `
- name: mtf
  rule_type: confluence
  contracts: [SIM.MES]
  timeframes: [1m]
  higher: { timeframe: 5m, analyzer_id: trend, within_bars: 5 }
  trigger: { analyzer_id: trend, within_bars: 3 }
`;
const settings = alerterSettings({ max_attempts: 100, backoff_ms: 200, backoff_max_ms: 400, attempt_timeout_ms: 10_000 }, [
  { analyzer_id: 'trend', timeframes: ['1m', '5m'] },
]);
const unitOf = (tf: string): AnalysisUnit => analysisUnits(settings).find((u) => u.timeframeLabel === tf)!;
const root = rulesRoot({ 'a.yaml': RULES });
const FIVE = 5 * MINUTE;
const minute = minuteBars(Array.from({ length: 30 }, (_, i) => 100 + i)); // 00:00 … 00:29
const fiveMinute = minuteBars([100, 105, 110, 115, 120, 125], [], T0, FIVE); // 00:00 … 00:25
const KEY = `mtf|${CONTRACT}|1m|${new Date(T0 + 12 * MINUTE).toISOString()}|uptrend_start`;

function uptrend(timeframe: '1m' | '5m', barTime: number, triggerTime: number): SignalEvent {
  return {
    kind: 'signal',
    analyzerId: 'trend',
    contractId: CONTRACT,
    timeframe,
    barTime,
    triggerTime,
    type: 'uptrend_start',
    price: 100,
    details: {},
  };
}
/** The 1m trend start about 00:12, known at 00:14: the trigger. */
const trigger = uptrend('1m', T0 + 12 * MINUTE, T0 + 13 * MINUTE);

async function deliveryStates(): Promise<string[]> {
  const { rows } = await ground.pool.query<{ s: string }>(
    `SELECT a.alert_key || ' ' || d.kind || ' ' || d.status AS s FROM alert_deliveries d JOIN alerts a USING (alert_id)
      ORDER BY a.alert_key, d.kind`,
  );
  return rows.map((r) => r.s);
}

/** The bars, the 5m trend starts `higher` and the 1m trigger: the confluence alerted and delivered. */
async function alertedAndDelivered(hookUrl: string, higher: readonly SignalEvent[]): Promise<void> {
  await truncate();
  await ground.pool.query('TRUNCATE signal_withdrawals, alert_destinations CASCADE');
  await addWebhook(ground.pool, 'hook', `${hookUrl}/hook`);
  alerter = await ground.start(root, settings);
  for (const bar of fiveMinute) await writeBar(ground.pool, bar, { unit: 2, value: 5 });
  for (const bar of minute) await writeBar(ground.pool, bar);
  await writeAnalyzerStep(ground.pool, 'trend', '5m', fiveMinute[5]!.time, higher);
  await writeAnalyzerStep(ground.pool, 'trend', '1m', minute[29]!.time, [trigger]);
  await eventually(async () => (await deliveryStates()).join(',') === `${KEY} alert delivered`);
}

/** A corrected bar: the target's re-run from it finds nothing up to its last bar. */
async function withdrawFrom(tf: '1m' | '5m', fromMs: number): Promise<void> {
  await rewindTarget(ground.pool, unitOf(tf), fromMs);
  await writeAnalyzerStep(ground.pool, 'trend', tf, (tf === '5m' ? fiveMinute[5] : minute[29])!.time, []);
}

const retractions = (hook: WebhookReceiver) =>
  hook.requests.filter((r) => r.answered === 200 && (r.body as { kind?: string }).kind === 'retraction');

async function settle(): Promise<void> {
  await alerter!.evaluator.schedule();
  await alerter!.evaluator.idle();
}

async function restart(): Promise<void> {
  await alerter!.stop();
  alerter = await ground.start(root, settings);
}

describe('alerter: retractions of confluence alerts', () => {
  it('retracts once, naming the 5m trend withdrawn, when no other 5m trend upholds it (withdrawn while the alerter is down)', async () => {
    const hook = new WebhookReceiver(SECRET);
    const url = await hook.start();
    try {
      await alertedAndDelivered(url, [uptrend('5m', T0 + FIVE, T0 + FIVE)]);
      const { rows: details } = await ground.pool.query<{ details: Record<string, unknown> }>('SELECT details FROM alerts');
      expect(details[0]?.details).toMatchObject({
        higher_analyzer_id: 'trend',
        higher_timeframe: '5m',
        higher_signal_type: 'uptrend_start',
      });
      await alerter!.stop();
      alerter = undefined;
      await withdrawFrom('5m', T0 + FIVE);
      alerter = await ground.start(root, settings);
      await eventually(async () => (await deliveryStates()).join(',') === `${KEY} alert delivered,${KEY} retraction delivered`);
      await settle();
      await restart();
      await settle();
      expect(await deliveryStates()).toEqual([`${KEY} alert delivered`, `${KEY} retraction delivered`]);
      expect(retractions(hook)).toHaveLength(1);
      expect(hook.repeats).toEqual([]);
      expect(retractions(hook)[0]?.body).toMatchObject({
        kind: 'retraction',
        text: expect.stringMatching(/^WITHDRAWN: /) as unknown,
        reason:
          `the confluence no longer holds: the 5m trend signal uptrend_start of ${new Date(T0 + FIVE).toISOString()} it stood on ` +
          'was withdrawn (its bar was corrected and the strategy no longer finds it), and no other 5m trend in force upholds it',
      });
    } finally {
      await alerter?.stop();
      alerter = undefined;
      await hook.stop();
    }
  });

  it('retracts nothing when another 5m trend in force still upholds the confluence', async () => {
    const hook = new WebhookReceiver(SECRET);
    const url = await hook.start();
    try {
      // Up from 00:00 and again from 00:05: the alert stands on the later one.
      await alertedAndDelivered(url, [uptrend('5m', T0, T0), uptrend('5m', T0 + FIVE, T0 + FIVE)]);
      const { rows: before } = await ground.pool.query<{ t: string }>(`SELECT details->>'higher_signal_time' AS t FROM alerts`);
      expect(before).toEqual([{ t: new Date(T0 + FIVE).toISOString() }]);
      await withdrawFrom('5m', T0 + FIVE);
      await eventually(async () => (await ground.pool.query('SELECT 1 FROM signal_withdrawals WHERE handled_at IS NULL')).rowCount === 0);
      await settle();
      const { rows } = await ground.pool.query<{ restored: boolean }>('SELECT restored FROM signal_withdrawals');
      expect(rows).toEqual([{ restored: false }]);
      expect(await deliveryStates()).toEqual([`${KEY} alert delivered`]);
      expect((await ground.pool.query('SELECT 1 FROM alerts WHERE retracted_at IS NOT NULL')).rowCount).toBe(0);
      expect(retractions(hook)).toEqual([]);
    } finally {
      await alerter?.stop();
      alerter = undefined;
      await hook.stop();
    }
  });

  it('retracts once, naming the 1m trigger, when the trigger is withdrawn', async () => {
    const hook = new WebhookReceiver(SECRET);
    const url = await hook.start();
    try {
      await alertedAndDelivered(url, [uptrend('5m', T0 + FIVE, T0 + FIVE)]);
      await withdrawFrom('1m', trigger.triggerTime);
      await eventually(async () => (await deliveryStates()).join(',') === `${KEY} alert delivered,${KEY} retraction delivered`);
      await settle();
      expect(retractions(hook)).toHaveLength(1);
      expect((retractions(hook)[0]?.body as { reason: string }).reason).toBe(
        'the confluence no longer holds: its 1m trigger signal uptrend_start was withdrawn (its bar was corrected and the strategy no longer finds it)',
      );
    } finally {
      await alerter?.stop();
      alerter = undefined;
      await hook.stop();
    }
  });
});
