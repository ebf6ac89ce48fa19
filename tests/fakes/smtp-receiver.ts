// A local SMTP server (the smtp-server package: the real protocol — EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT,
// DATA) that records the messages it accepts and can be told to refuse the next ones with a transient
// (4xx) or permanent (5xx) reply, or to stall before answering DATA.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
  readonly user: string | undefined;
}

export type SmtpFault = { readonly kind: 'reply'; readonly code: number; readonly message: string } | { readonly kind: 'stall' };

interface Credentials {
  readonly user: string;
  readonly pass: string;
}

export class FakeSmtpReceiver {
  private constructor(
    private readonly server: SMTPServer,
    private readonly port: number,
    /** Accepted messages, in order. */
    readonly mails: ReceivedMail[],
    /** User names of refused AUTH attempts. */
    readonly authFailures: string[],
    private readonly faults: SmtpFault[],
  ) {}

  /** `credentials`: AUTH required with exactly these; absent: no AUTH offered. */
  static async start(credentials?: Credentials): Promise<FakeSmtpReceiver> {
    const faults: SmtpFault[] = [];
    const mails: ReceivedMail[] = [];
    const authFailures: string[] = [];
    const server = new SMTPServer({
      disabledCommands: credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      allowInsecureAuth: true,
      authOptional: !credentials,
      logger: false,
      onAuth(auth, _session, callback) {
        if (credentials && auth.username === credentials.user && auth.password === credentials.pass) {
          callback(null, { user: auth.username });
          return;
        }
        authFailures.push(auth.username ?? '');
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const fault = faults.shift();
          if (fault?.kind === 'stall') return; // never answers: the client's timeout or abort must end it
          if (fault?.kind === 'reply') {
            callback(Object.assign(new Error(fault.message), { responseCode: fault.code }));
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const split = raw.indexOf('\r\n\r\n');
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            headers: parseHeaders(split < 0 ? raw : raw.slice(0, split)),
            body: split < 0 ? '' : raw.slice(split + 4),
            user: typeof session.user === 'string' ? session.user : undefined,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.server.address() as AddressInfo;
    return new FakeSmtpReceiver(server, address.port, mails, authFailures, faults);
  }

  get host(): string {
    return '127.0.0.1';
  }

  get portNumber(): number {
    return this.port;
  }

  /** The next messages (one per fault, in order) are refused this way at DATA. */
  fail(...faults: SmtpFault[]): void {
    this.faults.push(...faults);
  }

  async close(): Promise<void> {
    for (const connection of (this.server as unknown as { connections?: Set<{ close(): void }> }).connections ?? []) connection.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Header name (lower case) → value, folded lines unfolded. */
function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}
