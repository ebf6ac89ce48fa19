// Retractions: a signal alerted and then withdrawn by the analyzer (its re-run from a corrected bar no
// longer finds it) gets exactly one "WITHDRAWN" message per destination — webhook, Telegram, e-mail, each
// on its local fake — also when the alerter restarts between the withdrawal and the delivery; a withdrawn
// signal that never alerted, or one the re-run stores again, sends nothing; an alert withdrawn before it
// reached a destination is cancelled there and nothing is sent to it.
import { describe, expect, it } from 'vitest';
import type { SignalEvent } from '../../core/src/index.ts';
import { minuteBars, MINUTE } from '../../core/src/alerts/test-events.ts';
import { rewindTarget } from '../../analyzer/src/signal-store.ts';
import { analysisUnits, type AnalysisUnit } from '../../analyzer/src/targets.ts';
import { FakeSmtpReceiver } from '../fakes/smtp-receiver.ts';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.ts';
import { WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { alerterReads } from '../support/alerter-reads.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { addWebhook, alerterSettings, CONTRACT, rulesRoot, SECRET, writeAnalyzerStep, writeBar } from '../support/alerter-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { trendSignal } from '../support/trend-signal.ts';
import { useAlerter } from '../support/use-alerter.ts';

const ground = useAlerter();
const { storedKeys, alerterWatermark, truncate } = alerterReads(() => ground.pool);

const RULES = `
- { name: trend-start, rule_type: signal, analyzer_id: trend, signal_types: [uptrend_start], contracts: [SIM.MES], timeframes: [1m] }
`;
const TOKEN = '123456:AAH-retraction-token';
const CHAT = '-1009876543210';
// Attempts never time out on a loaded machine: a timed-out attempt the fake did receive would be sent
// again (at least once), and Telegram and mail have no idempotency key to fold the repeat.
const settings = alerterSettings({ max_attempts: 100, backoff_ms: 200, backoff_max_ms: 400, attempt_timeout_ms: 10_000 }, [
  { analyzer_id: 'trend', timeframes: ['1m'] },
]);
const unit = analysisUnits(settings)[0] as AnalysisUnit;
const root = rulesRoot({ 'a.yaml': RULES });
const bars = minuteBars(Array.from({ length: 14 }, (_, i) => 100 + i));

interface Fakes {
  readonly hook: WebhookReceiver;
  readonly hookUrl: string;
  readonly telegram: FakeTelegramBotApi;
  readonly smtp: FakeSmtpReceiver;
}

async function startFakes(): Promise<Fakes> {
  const hook = new WebhookReceiver(SECRET);
  const hookUrl = await hook.start();
  return {
    hook,
    hookUrl,
    telegram: await FakeTelegramBotApi.start({ tokens: [TOKEN], chats: [CHAT] }),
    smtp: await FakeSmtpReceiver.start(),
  };
}

async function stopFakes(f: Fakes): Promise<void> {
  await f.hook.stop();
  await f.telegram.close();
  await f.smtp.close();
}

/** A webhook, a Telegram chat and a mailbox, each on its fake. */
async function addDestinations(f: Fakes): Promise<void> {
  await ground.pool.query('DELETE FROM alert_destinations');
  await addWebhook(ground.pool, 'hook', `${f.hookUrl}/hook`);
  await ground.pool.query(`INSERT INTO alert_destinations (name, kind, config, secret) VALUES ('tg', 'telegram', $1, $2)`, [
    JSON.stringify({ chat_id: CHAT, api_url: f.telegram.url }),
    TOKEN,
  ]);
  await ground.pool.query(`INSERT INTO alert_destinations (name, kind, config) VALUES ('mail', 'email', $1)`, [
    JSON.stringify({ to: 'trader@example.com', from: 'alerts@example.com', host: '127.0.0.1', port: f.smtp.portNumber }),
  ]);
}

/** Runs a test with the destinations on fresh fakes; after it, its alerters and the fakes are stopped. */
async function withDestinations(test: (f: Fakes) => Promise<void>): Promise<void> {
  const f = await startFakes();
  try {
    await addDestinations(f);
    await test(f);
  } finally {
    await ground.stop();
    await stopFakes(f);
  }
}

async function deliveryStates(): Promise<string[]> {
  const { rows } = await ground.pool.query<{ s: string }>(
    `SELECT t.name || ' ' || d.kind || ' ' || d.status AS s FROM alert_deliveries d JOIN alert_destinations t USING (destination_id)
      ORDER BY t.name, d.kind`,
  );
  return rows.map((r) => r.s);
}

/** Bars 0..9, the analyzer at bar 9 with an uptrend start about bar 2 (triggered at bar 3): alerted and delivered everywhere. */
async function alertedAndDelivered(): Promise<void> {
  await truncate();
  await ground.pool.query('TRUNCATE signal_withdrawals CASCADE');
  await ground.start(root, settings);
  for (const bar of bars.slice(0, 10)) await writeBar(ground.pool, bar);
  await writeAnalyzerStep(ground.pool, 'trend', '1m', bars[9]!.time, [trendSignal(2, 3)]);
  await eventually(async () => (await storedKeys()).length === 1);
  await eventually(async () => (await deliveryStates()).join(',') === 'hook alert delivered,mail alert delivered,tg alert delivered');
}

/** The analyzer's re-run from a corrected bar 3: its signals from bar 3 on withdrawn (rewindTarget, as the
 * runner calls it), then the re-run stores what it finds (`found`) with its watermark back at bar 9. */
async function withdrawAndRerun(found: readonly SignalEvent[] = []): Promise<void> {
  await rewindTarget(ground.pool, unit, bars[3]!.time);
  await writeAnalyzerStep(ground.pool, 'trend', '1m', bars[9]!.time, found);
}

const withdrawnMessages = (f: Fakes) => ({
  hook: f.hook.requests.filter((r) => r.answered === 200 && (r.body as { kind?: string }).kind === 'retraction'),
  telegram: f.telegram.messages.filter((m) => m.text.startsWith('*WITHDRAWN: ')),
  mail: f.smtp.mails.filter((m) => m.headers.get('subject')?.startsWith('WITHDRAWN: ')),
});

/** Every step and retraction pass so far has run, and one more (a repeat pass must send nothing more). */
async function settle(): Promise<void> {
  await ground.running.evaluator.schedule();
  await ground.running.evaluator.idle();
}

describe('alerter: retractions of alerts on withdrawn signals', () => {
  it('sends exactly one retraction per destination when an alerted signal is withdrawn', () =>
    withDestinations(async (f) => {
      await alertedAndDelivered();
      const { rows: alertRows } = await ground.pool.query<{ alert_id: string; alert_key: string }>(
        'SELECT alert_id, alert_key FROM alerts',
      );
      const withdrawals = await ChannelListener.listen(ground.db.url, 'signalsWithdrawn');
      await withdrawAndRerun();
      // Parsed by the registry's schema on receipt: one summary for the rewind's transaction.
      expect(await withdrawals.take(1)).toEqual([
        { type: 'signals_withdrawn', analyzer_id: 'trend', contract_id: CONTRACT, timeframe: '1m', cause: 'rerun', count: 1 },
      ]);
      await withdrawals.end();
      await eventually(
        async () =>
          (await deliveryStates()).join(',') ===
          'hook alert delivered,hook retraction delivered,mail alert delivered,mail retraction delivered,tg alert delivered,tg retraction delivered',
      );
      await settle();
      const sent = withdrawnMessages(f);
      expect(sent.hook).toHaveLength(1);
      expect(sent.hook[0]?.signatureOk).toBe(true);
      expect(sent.hook[0]?.body).toMatchObject({
        kind: 'retraction',
        alert_id: Number(alertRows[0]!.alert_id),
        alert: { rule: 'trend-start', setup_type: 'uptrend_start' },
      });
      expect((sent.hook[0]?.body as { text: string }).text).toMatch(/^WITHDRAWN: INFO SIM\.MES 1m uptrend_start long/);
      expect(sent.telegram).toHaveLength(1);
      expect(sent.telegram[0]?.text).toContain('WITHDRAWN: \\[info\\] trend\\-start: SIM\\.MES 1m uptrend\\_start \\(long\\)');
      expect(sent.mail).toHaveLength(1);
      expect(sent.mail[0]?.headers.get('x-barstream-kind')).toBe('retraction');
      expect(sent.mail[0]?.body).toContain('Withdrawn: the signal was withdrawn');
      // The retraction's key differs from the alert's: a receiver deduplicating on keys keeps both.
      expect(new Set(f.hook.accepted).size).toBe(2);
      const { rows } = await ground.pool.query<{ retracted: boolean; handled: boolean; restored: boolean }>(
        `SELECT a.retracted_at IS NOT NULL AS retracted, w.handled_at IS NOT NULL AS handled, w.restored
           FROM alerts a JOIN signal_withdrawals w ON w.withdrawal_id = a.retracted_by`,
      );
      expect(rows).toEqual([{ retracted: true, handled: true, restored: false }]);
    }));

  it('still sends exactly one per destination when the alerter restarts between the withdrawal and the delivery', () =>
    withDestinations(async (f) => {
      await alertedAndDelivered();
      await ground.stop();
      // Withdrawn while the alerter is down: its NOTIFY goes to nobody; the webhook refuses for now.
      await withdrawAndRerun();
      f.hook.setMode('/hook', { kind: 'status', status: 503 });
      await ground.start(root, settings);
      await eventually(async () => (await deliveryStates()).includes('hook retraction retrying'));
      // Down again while the webhook's retraction waits for its next attempt.
      await ground.stop();
      f.hook.setMode('/hook', { kind: 'ok' });
      await ground.start(root, settings);
      await eventually(async () => (await deliveryStates()).filter((s) => s.endsWith('retraction delivered')).length === 3);
      await settle();
      const sent = withdrawnMessages(f);
      expect([sent.hook.length, sent.telegram.length, sent.mail.length]).toEqual([1, 1, 1]);
      expect(f.hook.repeats).toEqual([]);
    }));

  it('sends nothing for a withdrawn signal that never alerted, nor for one the re-run stores again', () =>
    withDestinations(async (f) => {
      await alertedAndDelivered();
      // A downtrend start (the rule takes uptrend starts only): stored, never alerted.
      for (const bar of bars.slice(10, 13)) await writeBar(ground.pool, bar);
      await writeAnalyzerStep(ground.pool, 'trend', '1m', bars[11]!.time, [trendSignal(10, 11, 'downtrend_start')]);
      await eventually(async () => (await alerterWatermark()) >= bars[11]!.time + MINUTE);
      // Re-run from bar 3: the uptrend start comes back identical (restored), the downtrend start does not.
      await withdrawAndRerun([trendSignal(2, 3)]);
      await writeAnalyzerStep(ground.pool, 'trend', '1m', bars[11]!.time, []);
      await eventually(async () => (await ground.pool.query('SELECT 1 FROM signal_withdrawals WHERE handled_at IS NULL')).rowCount === 0);
      await settle();
      const { rows } = await ground.pool.query<{ signal_type: string; restored: boolean }>(
        'SELECT signal_type, restored FROM signal_withdrawals ORDER BY signal_type',
      );
      expect(rows).toEqual([
        { signal_type: 'downtrend_start', restored: false },
        { signal_type: 'uptrend_start', restored: true },
      ]);
      expect((await ground.pool.query('SELECT 1 FROM alerts WHERE retracted_at IS NOT NULL')).rowCount).toBe(0);
      expect(await deliveryStates()).toEqual(['hook alert delivered', 'mail alert delivered', 'tg alert delivered']);
      const sent = withdrawnMessages(f);
      expect([sent.hook.length, sent.telegram.length, sent.mail.length]).toEqual([0, 0, 0]);
    }));

  it('cancels an alert withdrawn before it reached a destination: nothing sent there, retracted where it was delivered', () =>
    withDestinations(async (f) => {
      await ground.pool.query(`DELETE FROM alert_destinations WHERE name <> 'hook'`);
      await addWebhook(ground.pool, 'late', `${f.hookUrl}/late`);
      f.hook.setMode('/late', { kind: 'status', status: 503 });
      await truncate();
      await ground.pool.query('TRUNCATE signal_withdrawals CASCADE');
      await ground.start(root, settings);
      for (const bar of bars.slice(0, 10)) await writeBar(ground.pool, bar);
      await writeAnalyzerStep(ground.pool, 'trend', '1m', bars[9]!.time, [trendSignal(2, 3)]);
      await eventually(async () => (await deliveryStates()).join(',') === 'hook alert delivered,late alert retrying');
      await ground.stop();
      // Withdrawn while 'late' still waits for its next attempt; then it would answer.
      await withdrawAndRerun();
      f.hook.setMode('/late', { kind: 'ok' });
      await ground.start(root, settings);
      await eventually(
        async () =>
          (await deliveryStates()).join(',') ===
          'hook alert delivered,hook retraction delivered,late alert cancelled,late retraction cancelled',
      );
      await settle();
      expect(f.hook.requests.filter((r) => r.path === '/late' && r.answered === 200)).toEqual([]);
      expect(withdrawnMessages(f).hook.map((r) => r.path)).toEqual(['/hook']);
    }));
});
