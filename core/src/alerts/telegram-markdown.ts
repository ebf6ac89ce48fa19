// Telegram MarkdownV2 (core.telegram.org/bots/api#markdownv2-style): outside entities every one of
// _ * [ ] ( ) ~ ` > # + - = | { } . ! and \ itself must be escaped with a preceding \, and inside the
// (...) of an inline link only ) and \ — an unescaped one makes sendMessage fail with 400 "can't parse
// entities". Messages are at most 4096 characters.
import { alertText } from './alert-text.ts';
import type { DeliveredAlert, DeliveryMessageKind } from './delivery.ts';

export const TELEGRAM_MAX_MESSAGE_LENGTH = 4096;

const RESERVED = /[_*[\]()~`>#+\-=|{}.!\\]/g;

export function escapeMarkdownV2(text: string): string {
  return text.replace(RESERVED, (c) => `\\${c}`);
}

/** The URL part of an inline link: only `)` and `\` are escaped there. */
export function escapeMarkdownV2Url(url: string): string {
  return url.replace(/[)\\]/g, (c) => `\\${c}`);
}

/** The alert as a MarkdownV2 message: bold title, one line per field, a link to the chart. */
export function alertMarkdownV2(alert: DeliveredAlert, kind: DeliveryMessageKind = 'alert', reason?: string): string {
  const text = alertText(alert, kind, reason);
  const lines = [
    `*${escapeMarkdownV2(text.title)}*`,
    ...text.fields.map(([label, value]) => `${escapeMarkdownV2(label)}: ${escapeMarkdownV2(value)}`),
  ];
  // A relative link cannot be opened from Telegram: show it as text then.
  lines.push(/^https?:\/\//.test(text.link) ? `[Open chart](${escapeMarkdownV2Url(text.link)})` : escapeMarkdownV2(text.link));
  const message = lines.join('\n');
  if (message.length <= TELEGRAM_MAX_MESSAGE_LENGTH) return message;
  // Long details: keep the title and cut the rest on a line boundary (never inside an escape).
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (length + line.length + 1 > TELEGRAM_MAX_MESSAGE_LENGTH - 2) break;
    kept.push(line);
    length += line.length + 1;
  }
  return `${kept.join('\n')}\n…`;
}
