import { describe, expect, it } from 'vitest';
import { alertPlainText } from './alert-text.ts';
import type { DeliveredAlert } from './delivery.ts';
import { alertMarkdownV2, escapeMarkdownV2, escapeMarkdownV2Url, TELEGRAM_MAX_MESSAGE_LENGTH } from './telegram-markdown.ts';

const alert: DeliveredAlert = {
  alert_id: 7,
  rule: 'mes-trend_start',
  rule_type: 'signal',
  contract_id: 'SIM.MES',
  timeframe: '5m',
  setup_type: 'uptrend_start',
  severity: 'warning',
  direction: 'long',
  bar_time: '2026-12-04T14:35:00.000Z',
  known_at: '2026-12-04T14:40:00.000Z',
  entry_price: 5600.25,
  stop_loss: 5590,
  target: null,
  confidence: 0.8125,
  details: { close: 5600.25 },
  link: 'http://127.0.0.1:3000/trends?contract=SIM.MES&timeframe=5m&at=2026-12-04T14:35:00.000Z',
  created_at: '2026-12-04T14:40:00.120Z',
};

describe('Telegram MarkdownV2', () => {
  it('escapes every reserved character and the backslash, nothing else', () => {
    expect(escapeMarkdownV2('a_b*c[d]e(f)g~h`i>j#k+l-m=n|o{p}q.r!s\\t')).toBe(
      'a\\_b\\*c\\[d\\]e\\(f\\)g\\~h\\`i\\>j\\#k\\+l\\-m\\=n\\|o\\{p\\}q\\.r\\!s\\\\t',
    );
    expect(escapeMarkdownV2('SIM MES 5m: ok? yes, 100% & <b>')).toBe('SIM MES 5m: ok? yes, 100% & <b\\>');
  });

  it('escapes only ) and \\ in a link URL', () => {
    expect(escapeMarkdownV2Url('http://h/a_(b)\\c.d')).toBe('http://h/a_(b\\)\\\\c.d');
  });

  it('writes the alert as a bold title, its fields and a chart link', () => {
    expect(alertMarkdownV2(alert).split('\n')).toEqual([
      '*\\[warning\\] mes\\-trend\\_start: SIM\\.MES 5m uptrend\\_start \\(long\\)*',
      'Entry: 5600\\.25',
      'Stop: 5590',
      'Confidence: 81%',
      'Bar: 2026\\-12\\-04T14:35:00\\.000Z',
      'Rule: mes\\-trend\\_start \\(signal\\)',
      '[Open chart](http://127.0.0.1:3000/trends?contract=SIM.MES&timeframe=5m&at=2026-12-04T14:35:00.000Z)',
    ]);
  });

  it('shows a relative link as text (Telegram cannot open it)', () => {
    expect(
      alertMarkdownV2({ ...alert, link: '/trends?contract=SIM.MES' })
        .split('\n')
        .at(-1),
    ).toBe('/trends?contract\\=SIM\\.MES');
  });

  it('keeps a message within 4096 characters, cutting on a line boundary', () => {
    const long = alertMarkdownV2({ ...alert, rule: 'r', contract_id: 'C'.repeat(5000) });
    expect(long.length).toBeLessThanOrEqual(TELEGRAM_MAX_MESSAGE_LENGTH);
    const short = alertMarkdownV2({ ...alert, setup_type: 'x'.repeat(4000) });
    expect(short.length).toBeLessThanOrEqual(TELEGRAM_MAX_MESSAGE_LENGTH);
    expect(short.endsWith('\n…')).toBe(true);
    expect(short.startsWith('*\\[warning\\]')).toBe(true);
  });

  it('plain text carries the same fields for e-mail', () => {
    expect(alertPlainText(alert)).toBe(
      [
        '[warning] mes-trend_start: SIM.MES 5m uptrend_start (long)',
        '',
        'Entry: 5600.25',
        'Stop: 5590',
        'Confidence: 81%',
        'Bar: 2026-12-04T14:35:00.000Z',
        'Rule: mes-trend_start (signal)',
        '',
        alert.link,
      ].join('\n'),
    );
  });
});
