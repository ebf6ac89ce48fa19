// The shipped rule files (config/rules/*.yaml) validate against the shipped settings, and each rule fires on a
// synthetic day of the simulated contracts; and loadRules reports YAML and schema errors by file.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rollUp, seriesEvents } from '../../../tests/support/alert-history.ts';
import { syntheticBars } from '../../../tests/support/synthetic-bars.ts';
import { loadConfig } from '../node/load-config.ts';
import { loadRules } from '../node/load-rules.ts';
import { evaluateBatch } from './batch-evaluation.ts';
import { RuleError } from './rule-error.ts';
import { referencesOf } from './rule-references.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('config/rules', () => {
  const settings = loadConfig({ BARSTREAM_CONFIG: join(ROOT, 'config', 'settings.yaml') }).settings;
  const shipped = loadRules(ROOT, referencesOf(settings));

  it('ships rules of every type that validate against the settings', () => {
    expect(shipped.map((r) => r.name)).toEqual([
      'ema200-cross',
      'rsi-oversold',
      'macd-histogram-flip',
      'bollinger-break',
      'volume-spike',
      'trend-start',
      'mtf-trend-confluence',
      'ema-cross-signal',
    ]);
    expect(new Set(shipped.map((r) => r.rule_type))).toEqual(new Set(['signal', 'price_cross', 'indicator', 'confluence', 'volume_spike']));
  });

  it('every shipped rule fires on five synthetic weekdays of SIM.MES and SIM.MNQ', () => {
    const start = Date.parse('2025-03-10T00:00:00Z'); // a Monday
    const events = ['SIM.MES', 'SIM.MNQ'].flatMap((contract, k) => {
      const m1 = syntheticBars(5 * 1440, { start, stepMs: 60_000, seed: 21 + k, price: 5600 + 14_200 * k });
      return seriesEvents(contract, { '1m': m1, '5m': rollUp(m1, 300_000), '15m': rollUp(m1, 900_000), '1h': rollUp(m1, 3_600_000) });
    });
    const fired = new Set(evaluateBatch(shipped, events).map((a) => a.rule));
    expect([...fired].sort()).toEqual(shipped.map((r) => r.name).sort());
  });

  it('names the file, rule and key of every problem, YAML syntax included', () => {
    const root = mkdtempSync(join(tmpdir(), 'barstream-rules-'));
    mkdirSync(join(root, 'config', 'rules'), { recursive: true });
    writeFileSync(
      join(root, 'config', 'rules', 'a.yaml'),
      '- name: ok\n  rule_type: signal\n  contracts: [SIM.MES]\n  timeframes: [5m]\n  analyzer_id: nope\n',
    );
    writeFileSync(join(root, 'config', 'rules', 'b.yaml'), '- name: [unclosed\n');
    let error: unknown;
    try {
      loadRules(root, referencesOf(settings));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RuleError);
    const lines = (error as RuleError).message.split('\n');
    expect(lines[0]).toMatch(/^config\/rules\/b\.yaml: \(file\): not valid YAML: /);
    expect(lines[1]).toBe(
      'config/rules/a.yaml: rule "ok": analyzer_id: unknown analyzer_id "nope" (known: cus_cds_trend_finder, ema_cross)',
    );
    expect(lines).toHaveLength(2);
  });
});
