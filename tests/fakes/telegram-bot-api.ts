// A local stand-in for the Telegram Bot API (core.telegram.org/bots/api) speaking its protocol:
// POST /bot<token>/sendMessage with a JSON or form body, answered {ok: true, result: Message} or
// {ok: false, error_code, description, parameters?}. It checks the token, the chat and the MarkdownV2
// text as Telegram does, records what it accepted, and can be told to answer 429 with retry_after,
// 5xx, garbage, or to hang.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { markdownV2Error } from './telegram-markdown-check.ts';

export interface TelegramMessage {
  readonly token: string;
  readonly chatId: string;
  readonly text: string;
  readonly parseMode: string | undefined;
  readonly messageId: number;
}

export type TelegramFault =
  | { readonly kind: 'too_many_requests'; readonly retryAfterSec: number }
  | { readonly kind: 'server_error' }
  | { readonly kind: 'garbage' }
  | { readonly kind: 'hang' };

export class FakeTelegramBotApi {
  readonly messages: TelegramMessage[] = [];
  /** Every request, accepted or not, in arrival order (method path without the token). */
  readonly requests: { readonly method: string; readonly status: number }[] = [];
  private readonly faults: TelegramFault[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private nextMessageId = 1;

  private constructor(
    private readonly server: Server,
    private readonly tokens: ReadonlySet<string>,
    private readonly chats: ReadonlySet<string>,
  ) {}

  static async start(options: { tokens: readonly string[]; chats: readonly (string | number)[] }): Promise<FakeTelegramBotApi> {
    const server = createServer();
    const fake = new FakeTelegramBotApi(server, new Set(options.tokens), new Set(options.chats.map(String)));
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next requests (one per fault, in order) fail this way before any is accepted. */
  fail(...faults: TelegramFault[]): void {
    this.faults.push(...faults);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    const raw = await readBody(req);
    if (!match) return this.answer(res, '?', 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token = '', method = ''] = match;
    if (!this.tokens.has(token)) return this.answer(res, method, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    if (method !== 'sendMessage')
      return this.answer(res, method, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    const fault = this.faults.shift();
    if (fault?.kind === 'hang') {
      this.hanging.add(res);
      this.requests.push({ method, status: 0 });
      return;
    }
    if (fault?.kind === 'garbage') {
      this.requests.push({ method, status: 200 });
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>upstream says hi</html>');
      return;
    }
    if (fault?.kind === 'server_error') return this.answer(res, method, 502, { ok: false, error_code: 502, description: 'Bad Gateway' });
    if (fault?.kind === 'too_many_requests') {
      return this.answer(res, method, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${fault.retryAfterSec}`,
        parameters: { retry_after: fault.retryAfterSec },
      });
    }
    const params = parseParams(req.headers['content-type'] ?? '', raw);
    if (!params) return this.answer(res, method, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid request body' });
    const chatId = typeof params.chat_id === 'string' || typeof params.chat_id === 'number' ? String(params.chat_id) : undefined;
    const text = typeof params.text === 'string' ? params.text : undefined;
    if (!chatId) return this.answer(res, method, 400, { ok: false, error_code: 400, description: 'Bad Request: chat_id is empty' });
    if (!text) return this.answer(res, method, 400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
    if (!this.chats.has(chatId))
      return this.answer(res, method, 400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
    if (text.length > 4096)
      return this.answer(res, method, 400, { ok: false, error_code: 400, description: 'Bad Request: message is too long' });
    const parseMode = typeof params.parse_mode === 'string' ? params.parse_mode : undefined;
    if (parseMode === 'MarkdownV2') {
      const error = markdownV2Error(text);
      if (error) return this.answer(res, method, 400, { ok: false, error_code: 400, description: `Bad Request: ${error}` });
    }
    const messageId = this.nextMessageId++;
    this.messages.push({ token, chatId, text, parseMode, messageId });
    this.answer(res, method, 200, {
      ok: true,
      result: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId }, text },
    });
  }

  private answer(res: ServerResponse, method: string, status: number, body: unknown): void {
    this.requests.push({ method, status });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseParams(contentType: string, raw: string): Record<string, unknown> | undefined {
  if (contentType.startsWith('application/json')) {
    try {
      const value: unknown = JSON.parse(raw);
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  if (contentType.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  return undefined;
}
