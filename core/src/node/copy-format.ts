// PostgreSQL COPY text format: escaping for rows written with COPY … FROM STDIN.

/** A text field for COPY … FROM STDIN (text format): backslash, tab, newline, CR escaped. */
export function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : value;
}
