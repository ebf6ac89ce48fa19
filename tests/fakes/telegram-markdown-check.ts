// What the Telegram Bot API's MarkdownV2 parser refuses, as a fake can check it: a reserved character
// outside an entity that is not escaped ("Character '.' is reserved and must be escaped with the
// preceding '\'"), an entity that is never closed, a dangling escape. Enough to catch a sender that
// forgets to escape something; not a renderer.

const RESERVED = new Set('_*[]()~`>#+-=|{}.!'.split(''));
const DELIMITERS = new Set(['*', '_', '~', '`']);

/** The Bot API's error description for `text`, or undefined when it parses. */
export function markdownV2Error(text: string): string | undefined {
  const open: { readonly mark: string; readonly at: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '\\') {
      if (i + 1 >= text.length) return `can't parse entities: Character '\\' is reserved and must be escaped with the preceding '\\'`;
      i++;
      continue;
    }
    if (c === '|' && text[i + 1] === '|') {
      toggle(open, '||', i);
      i++;
      continue;
    }
    if (DELIMITERS.has(c)) {
      toggle(open, c, i);
      continue;
    }
    if (c === '[') {
      open.push({ mark: '[', at: i });
      continue;
    }
    if (c === ']' && open.at(-1)?.mark === '[') {
      open.pop();
      if (text[i + 1] !== '(') return `can't parse entities: Can't find end of the entity starting at byte offset ${i}`;
      const end = linkEnd(text, i + 2);
      if (end === undefined) return `can't parse entities: Can't find end of the entity starting at byte offset ${i}`;
      i = end;
      continue;
    }
    if (RESERVED.has(c)) return `can't parse entities: Character '${c}' is reserved and must be escaped with the preceding '\\'`;
  }
  const unclosed = open[0];
  return unclosed ? `can't parse entities: Can't find end of the entity starting at byte offset ${unclosed.at}` : undefined;
}

function toggle(open: { mark: string; at: number }[], mark: string, at: number): void {
  if (open.at(-1)?.mark === mark) open.pop();
  else open.push({ mark, at });
}

/** Index of the `)` closing an inline link's URL that starts at `from` (\) and \\ are escapes there). */
function linkEnd(text: string, from: number): number | undefined {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === ')') return i;
  }
  return undefined;
}
