// A sender's error text must never carry the destination's secret (a Telegram bot token sits in the
// request URL, an SMTP server may echo the login): every error passes through here before it is
// returned, stored in alert_delivery_attempts or logged.

export function redactSecret(text: string, secret: string | null): string {
  if (!secret) return text;
  return text.split(secret).join('[secret]');
}

/** The message of anything thrown, with its cause (fetch's "fetch failed" hides the reason there). */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
