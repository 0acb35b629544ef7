/**
 * Where mail goes: an SMTP server through nodemailer when `LATCHKEY_SMTP_URL` is set; otherwise,
 * in development, the development mailbox and the log; otherwise (production without SMTP) nowhere,
 * which the outbox records as a failed message and the log as a warning.
 */
import nodemailer from 'nodemailer';
import type { EmailConfig, Mode } from '../config/index.js';
import type { DevMailbox } from './mailbox.js';
import type { RenderedEmail } from './templates.js';

export interface OutgoingEmail extends RenderedEmail {
  /** The outbox message id: also the Message-ID's local part, so a retried send is recognisable. */
  id: string;
  to: string;
}

/** A send that can never succeed as configured: the outbox gives it up instead of retrying. */
export class PermanentSendError extends Error {
  override readonly name = 'PermanentSendError';
}

export interface Mailer {
  send(m: OutgoingEmail): Promise<void>;
  close(): void;
}

export function createMailer(
  o: { email: EmailConfig; mode: Mode; mailbox: DevMailbox | null; now: () => number; log: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void },
): Mailer {
  const { email } = o;
  if (email.smtpUrl) {
    const transport = nodemailer.createTransport(email.smtpUrl);
    const domain = email.from.match(/@([^>\s]+)>?$/)?.[1] ?? 'localhost';
    return {
      async send(m) {
        try {
          await transport.sendMail({
            from: email.from,
            ...(email.replyTo ? { replyTo: email.replyTo } : {}),
            to: m.to,
            subject: m.subject,
            text: m.text,
            html: m.html,
            messageId: `<${m.id}@${domain}>`,
          });
        } catch (err) {
          // A 5xx reply (unknown mailbox, relay refused) will not change on retry; anything else might.
          const code = (err as { responseCode?: number }).responseCode;
          if (code !== undefined && code >= 500) throw new PermanentSendError(`SMTP ${code}: ${(err as Error).message}`);
          throw err;
        }
      },
      close: () => transport.close(),
    };
  }
  if (o.mode === 'development' && o.mailbox) {
    const mailbox = o.mailbox;
    return {
      async send(m) {
        mailbox.add({ id: m.id, to: m.to, from: email.from, subject: m.subject, text: m.text, html: m.html, receivedAt: o.now() });
        o.log('info', 'email kept in the development mailbox (/dev/mailbox): no LATCHKEY_SMTP_URL', { to: m.to, subject: m.subject, text: m.text });
      },
      close() {},
    };
  }
  return {
    async send(m) {
      throw new PermanentSendError(`no LATCHKEY_SMTP_URL: cannot send "${m.subject}" to ${m.to}`);
    },
    close() {},
  };
}
