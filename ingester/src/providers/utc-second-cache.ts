// The whole second of an RFC 3339 time ('YYYY-MM-DDTHH:MM:SS') → epoch ms, remembering its minute: a feed's
// consecutive trades mostly share it, and reading a minute is most of the cost of a time. The venue's reader
// decides what is valid; a second 00–59 within a minute it accepted is that minute plus the seconds.

const MINUTE_CHARS = 16;
const SECONDS_CHARS = 19;
const CHAR_COLON = 58;
const CHAR_0 = 48;

export class UtcSecondCache {
  private minute = '';
  private minuteMs: number | undefined;

  /** `read` takes 'YYYY-MM-DDTHH:MM:SS' and gives its epoch ms, undefined when it is not a valid time. */
  constructor(private readonly read: (seconds: string) => number | undefined) {}

  /** The epoch ms of text[start, start + 19), as `read` gives it. */
  at(text: string, start: number): number | undefined {
    const tens = text.charCodeAt(start + 17) - CHAR_0;
    const ones = text.charCodeAt(start + 18) - CHAR_0;
    // A leap second (60) or anything odd: the venue's reader says what it is.
    if (text.charCodeAt(start + MINUTE_CHARS) !== CHAR_COLON || !(tens >= 0 && tens <= 5) || !(ones >= 0 && ones <= 9)) {
      return this.read(text.slice(start, start + SECONDS_CHARS));
    }
    if (this.minute.length !== MINUTE_CHARS || !text.startsWith(this.minute, start)) {
      this.minute = text.slice(start, start + MINUTE_CHARS);
      this.minuteMs = this.read(`${this.minute}:00`);
    }
    return this.minuteMs === undefined ? undefined : this.minuteMs + (tens * 10 + ones) * 1000;
  }
}
