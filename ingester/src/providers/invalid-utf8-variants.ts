// Test support for the byte scans' agreement tests: a frame as bytes with one byte changed into what
// UTF-8 never has alone (0xff) or a lead byte cut from its continuation (0xc3): what reaches a scan from
// a socket, though ws checks UTF-8 first.

/** The two variants of `text`'s bytes, the byte at `at` (modulo the length) changed. */
export function invalidUtf8Variants(text: string, at: number): Buffer[] {
  const bytes = Buffer.from(text);
  const k = at % Math.max(1, bytes.length);
  return [0xff, 0xc3].map((b) => {
    const changed = Buffer.from(bytes);
    if (changed.length > 0) changed[k] = b;
    return changed;
  });
}
