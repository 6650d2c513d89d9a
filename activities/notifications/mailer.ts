/**
 * The mail boundary: one message out over SMTP. The Message-ID is derived from the notification's
 * dedupe key, so a resend of the same notification (a worker that crashed after the server accepted
 * the message, before the row said SENT) carries the same Message-ID, and receivers that deduplicate
 * on it, as large mailbox providers do, show one email.
 */
import { createTransport } from 'nodemailer';

interface OutgoingMessage {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Resolves once the server accepted the message; rejects on any refusal or connection failure. */
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}

const MAIL_DOMAIN = 'commerce.local';

/**
 * `<key@commerce.local>`, the key made a valid msg-id left part (RFC 5322 dot-atom-text): every
 * character outside letters, digits, `_` and `-` becomes `=XX` per UTF-8 byte (`=` included), so
 * two keys never share an id. `order_shipped:0b1c...` -> `<order_shipped=3A0b1c...@commerce.local>`.
 */
export function messageIdFor(dedupeKey: string): string {
  const local = dedupeKey.replace(/[^A-Za-z0-9_-]/gu, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
  return `<${local}@${MAIL_DOMAIN}>`;
}

export interface SmtpMailerOptions {
  /** Milliseconds each of connect, greeting and an idle socket may take: a dead server fails fast. */
  timeoutMs?: number;
  /**
   * Connections kept open while mail is flowing (default 2). An idle one closes once its socket has
   * been quiet for `timeoutMs`.
   */
  pooledConnections?: number;
}

/**
 * Sends through the SMTP server at `smtpUrl` (`smtp://host:port`, `smtps://` for implicit TLS,
 * user and password in the URL if the server wants them), over a pool of connections.
 *
 * Pooled: every paid order sends an email, and a connection per message cost its connect,
 * greeting, EHLO and QUIT round trips on both ends (docs/performance.md#smtp-connections).
 * Nodemailer's pool leaves a connection the server dropped out of the pool and queues a message
 * caught on one again; past that the activity's retry sends it (same Message-ID, so the receiver
 * shows one email).
 */
export function createSmtpMailer(
  smtpUrl: string,
  { timeoutMs = 5_000, pooledConnections = 2 }: SmtpMailerOptions = {},
): Mailer {
  const transport = createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: pooledConnections,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    async send(message) {
      await transport.sendMail({
        messageId: message.messageId,
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    },
    close() {
      transport.close();
    },
  };
}
