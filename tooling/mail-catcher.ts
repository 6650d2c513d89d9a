/**
 * A local mail catcher: a real SMTP server (smtp-server, loopback, no TLS, auth accepted but not
 * required) that keeps every message it receives in memory, parsed with mailparser, and a small web
 * inbox. Tests start one on a free port; `npm start` runs one on SMTP_URL's port.
 *
 * Like the large mailbox providers it deduplicates on Message-ID: a message whose Message-ID it
 * holds already is accepted and dropped. That is what makes a resend after a crash harmless, and
 * what the tests rely on to see one email per event.
 *
 * CLI: `node --import tsx tooling/mail-catcher.ts` (SMTP_URL, default smtp://127.0.0.1:1025;
 * MAIL_UI_PORT, default 8025).
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { loadStackEnv } from './stack-env';

export interface CaughtMessage {
  /** The catcher's own id, used in the web inbox's links. */
  id: string;
  /** The Message-ID header, angle brackets included; null when the message had none. */
  messageId: string | null;
  from: string;
  /** Recipients from the SMTP envelope (RCPT TO), lower-cased. */
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  /** The message's Date header, or when it arrived if it had none. */
  date: Date;
  receivedAt: Date;
  headers: Record<string, string>;
}

export interface MailCatcherOptions {
  /** SMTP port; 0 picks a free one (see `smtpPort` on the result). */
  smtpPort: number;
  /** Port of the web inbox; no inbox without it. */
  uiPort?: number;
  /** Interface both listen on; loopback by default: this is a development tool. */
  host?: string;
}

export interface MailCatcher {
  readonly smtpPort: number;
  readonly uiPort: number | null;
  /** `smtp://host:port` of the SMTP side, for SMTP_URL. */
  readonly smtpUrl: string;
  /** Messages kept so far, oldest first (copies). */
  messages(): CaughtMessage[];
  /** Messages accepted and dropped because their Message-ID was caught already. */
  duplicatesDropped(): number;
  clear(): void;
  /**
   * false closes the SMTP listener (senders get "connection refused", as from a server that is
   * down); true listens again on the same port. Messages already caught are kept.
   */
  setAccepting(accepting: boolean): Promise<void>;
  /**
   * true keeps each new message (it is in `messages()`) but withholds the server's 250 reply until
   * set back to false: the window in which a sender that dies has delivered without knowing it.
   */
  setHoldingReplies(holding: boolean): void;
  /**
   * Recipients (lower-cased) the server refuses at RCPT TO with a permanent 550 5.1.1 that quotes
   * the address, as real servers word it; an empty list accepts everyone again.
   */
  setRefusedRecipients(addresses: readonly string[]): void;
  stop(): Promise<void>;
}

const addressText = (value: AddressObject | AddressObject[] | undefined): string =>
  value === undefined ? '' : (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');

function headerText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object' && 'text' in value && typeof value.text === 'string') return value.text;
  if (value && typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value;
  return JSON.stringify(value);
}

export async function startMailCatcher({
  smtpPort,
  uiPort,
  host = '127.0.0.1',
}: MailCatcherOptions): Promise<MailCatcher> {
  const store: CaughtMessage[] = [];
  const seenMessageIds = new Set<string>();
  let duplicates = 0;
  let holdingReplies = false;
  let refusedRecipients = new Set<string>();
  const heldReplies: (() => void)[] = [];

  function createSmtpServer(): SMTPServer {
    return new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      // stop() and setAccepting(false) wait at most this long for a sender still connected.
      closeTimeout: 1_000,
      onAuth(auth, _session, callback) {
        callback(null, { user: auth.username ?? 'anonymous' });
      },
      onRcptTo(address, _session, callback) {
        if (!refusedRecipients.has(address.address.toLowerCase())) {
          callback();
          return;
        }
        const refusal = Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected`), {
          responseCode: 550,
        });
        callback(refusal);
      },
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            const messageId = parsed.messageId ?? null;
            // Stored before the 250 goes out: when a sender's send resolves, the message is here.
            if (messageId === null || !seenMessageIds.has(messageId)) {
              if (messageId !== null) seenMessageIds.add(messageId);
              const receivedAt = new Date();
              store.push({
                id: randomUUID(),
                messageId,
                from: addressText(parsed.from),
                to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : null,
                date: parsed.date ?? receivedAt,
                receivedAt,
                headers: Object.fromEntries([...parsed.headers].map(([k, v]) => [k, headerText(v)])),
              });
            } else {
              duplicates += 1;
            }
            if (holdingReplies) heldReplies.push(() => callback());
            else callback();
          })
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      },
    });
  }

  let smtp: SMTPServer | null = null;
  let boundPort = smtpPort;

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const server = createSmtpServer();
      server.on('error', reject);
      server.listen(boundPort, host, () => {
        server.removeListener('error', reject);
        // Errors on a running server concern one connection; smtp-server has closed it already.
        server.on('error', () => undefined);
        boundPort = (server.server.address() as AddressInfo).port;
        smtp = server;
        resolve();
      });
    });

  const close = (): Promise<void> =>
    new Promise((resolve) => {
      const server = smtp;
      smtp = null;
      if (server) server.close(() => resolve());
      else resolve();
    });

  await listen();

  let ui: ServerType | null = null;
  let boundUiPort: number | null = null;
  if (uiPort !== undefined) {
    const app = inboxApp(() => store);
    ui = await new Promise<ServerType>((resolve, reject) => {
      const server = serve({ fetch: app.fetch, port: uiPort, hostname: host }, (info) => {
        boundUiPort = info.port;
        resolve(server);
      });
      server.once('error', reject);
    });
  }

  return {
    get smtpPort() {
      return boundPort;
    },
    get uiPort() {
      return boundUiPort;
    },
    get smtpUrl() {
      return `smtp://${host}:${boundPort}`;
    },
    messages: () => store.map((m) => ({ ...m, to: [...m.to], headers: { ...m.headers } })),
    duplicatesDropped: () => duplicates,
    clear() {
      store.length = 0;
      seenMessageIds.clear();
      duplicates = 0;
    },
    async setAccepting(accepting) {
      if (accepting && smtp === null) await listen();
      if (!accepting && smtp !== null) await close();
    },
    setRefusedRecipients(addresses) {
      refusedRecipients = new Set(addresses.map((a) => a.toLowerCase()));
    },
    setHoldingReplies(holding) {
      holdingReplies = holding;
      if (!holding) for (const reply of heldReplies.splice(0)) reply();
    },
    async stop() {
      for (const reply of heldReplies.splice(0)) reply();
      await close();
      if (ui) {
        const server = ui;
        ui = null;
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

/** The web inbox: a list, one page per message, and the same data as JSON. */
function inboxApp(messages: () => readonly CaughtMessage[]): Hono {
  const app = new Hono();
  const page = (title: string, body: unknown) =>
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>${title}</title>
          <style>
            body {
              font-family: system-ui, sans-serif;
              margin: 2rem;
            }
            table {
              border-collapse: collapse;
              width: 100%;
            }
            th,
            td {
              text-align: left;
              padding: 0.4rem;
              border-bottom: 1px solid #ddd;
            }
            iframe {
              width: 100%;
              height: 32rem;
              border: 1px solid #ddd;
            }
            pre {
              white-space: pre-wrap;
              background: #f6f6f6;
              padding: 1rem;
            }
          </style>
        </head>
        <body>
          ${body}
        </body>
      </html>`;

  app.get('/', (c) => {
    const newestFirst = [...messages()].reverse();
    return c.html(
      page(
        'Mail catcher',
        html`<h1>Mail catcher</h1>
          <p>${newestFirst.length} message(s), newest first.</p>
          <table>
            <thead>
              <tr>
                <th>Date</th>
                <th>From</th>
                <th>To</th>
                <th>Subject</th>
              </tr>
            </thead>
            <tbody>
              ${newestFirst.map(
                (m) =>
                  html`<tr>
                    <td>${m.date.toISOString()}</td>
                    <td>${m.from}</td>
                    <td>${m.to.join(', ')}</td>
                    <td><a href="/messages/${encodeURIComponent(m.id)}">${m.subject || '(no subject)'}</a></td>
                  </tr>`,
              )}
            </tbody>
          </table>`,
      ),
    );
  });

  app.get('/messages/:id', (c) => {
    const m = messages().find((x) => x.id === c.req.param('id'));
    if (!m) return c.html(page('Not found', html`<p>No such message. <a href="/">Inbox</a></p>`), 404);
    // The HTML body is the sender's markup: shown in a sandboxed frame (no scripts, no same-origin).
    return c.html(
      page(
        m.subject,
        html`<p><a href="/">Inbox</a></p>
          <h1>${m.subject || '(no subject)'}</h1>
          <dl>
            <dt>From</dt>
            <dd>${m.from}</dd>
            <dt>To</dt>
            <dd>${m.to.join(', ')}</dd>
            <dt>Date</dt>
            <dd>${m.date.toISOString()}</dd>
            <dt>Message-ID</dt>
            <dd>${m.messageId ?? '(none)'}</dd>
          </dl>
          ${
            m.html === null
              ? ''
              : html`<h2>HTML</h2>
                  <iframe title="HTML body" sandbox="" srcdoc="${m.html}"></iframe>`
          }
          <h2>Text</h2>
          <pre>${m.text}</pre>`,
      ),
    );
  });

  app.get('/api/messages', (c) => c.json({ items: messages() }));
  return app;
}

if (require.main === module) {
  const env = loadStackEnv();
  const smtpUrl = new URL(env.SMTP_URL);
  startMailCatcher({ smtpPort: Number(smtpUrl.port || 25), uiPort: env.MAIL_UI_PORT, host: smtpUrl.hostname })
    .then((catcher) => {
      console.log(`mail-catcher: SMTP on ${catcher.smtpUrl}, inbox on http://${smtpUrl.hostname}:${catcher.uiPort}/`);
      const shutdown = () => {
        catcher.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    })
    .catch((error: unknown) => {
      console.error(`mail-catcher: ${(error as Error).message}`);
      process.exit(1);
    });
}
