/**
 * What a failed send may say outside the notification row. A mail server's answer quotes the
 * recipient ("550 5.1.1 <bob@example.com>: Recipient address rejected"), and the failure an
 * activity throws lands in the workflow history, which carries no personal data
 * (docs/api.md#personal-data). So the thrown failure carries only codes: the SMTP reply code, the
 * enhanced status code (RFC 3463), the SMTP command and nodemailer's and the system's error codes;
 * the server's full text goes to the row (lastError), which support reads.
 */

interface MailErrorFields {
  code?: unknown;
  originalCode?: unknown;
  command?: unknown;
  responseCode?: unknown;
  response?: unknown;
}

/** A code such as `EENVELOPE`, `ECONNREFUSED` or `RCPT TO`: letters, digits, `_` and spaces only. */
const asCode = (value: unknown): string | null =>
  typeof value === 'string' && /^[A-Z][A-Z0-9_ ]{0,31}$/u.test(value) ? value : null;

/** The enhanced status code right after the reply code (`550 5.1.1 ...` -> `5.1.1`), if any. */
function enhancedStatus(response: unknown): string | null {
  if (typeof response !== 'string') return null;
  return /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/u.exec(response)?.[1] ?? null;
}

/**
 * `SMTP 550 5.1.1 at RCPT TO (EENVELOPE)`, `ESOCKET ECONNREFUSED at CONN`; `mail delivery failed`
 * when the error carries no code at all.
 */
export function mailFailureSummary(error: unknown): string {
  const fields: MailErrorFields = error !== null && typeof error === 'object' ? error : {};
  const parts: string[] = [];
  const reply = typeof fields.responseCode === 'number' ? fields.responseCode : null;
  const code = asCode(fields.code);
  if (reply !== null) {
    parts.push(`SMTP ${reply}`);
    const enhanced = enhancedStatus(fields.response);
    if (enhanced) parts.push(enhanced);
  } else {
    for (const c of [code, asCode(fields.originalCode)]) if (c) parts.push(c);
  }
  const command = asCode(fields.command);
  if (command) parts.push(`at ${command}`);
  if (reply !== null && code) parts.push(`(${code})`);
  return parts.length > 0 ? parts.join(' ') : 'mail delivery failed';
}

/** SMTP 5xx: the server refused this message for good (unknown mailbox, policy); 4xx may pass later. */
export function isPermanentRefusal(error: unknown): boolean {
  const code = (error as MailErrorFields | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
