/**
 * Email as a topic of the durable outbox (outbox/): a flow writes the message in its own
 * transaction, so a code or notice exists exactly when its change committed and survives a crash;
 * the dispatcher renders and sends it later, retrying with the outbox's backoff.
 */
import type { Handler } from '../outbox/dispatcher.js';
import { enqueue } from '../outbox/enqueue.js';
import type { Db } from '../store/types.js';
import { seal, unseal } from './seal.js';
import { PermanentSendError, type Mailer } from './send.js';
import { type DecoyEmail, type EmailTemplate, renderEmail } from './templates.js';

export const EMAIL_TOPIC = 'email';

interface EmailPayload {
  to: string;
  /** The template and its data, sealed: it may hold a code (see seal.ts). */
  sealed: string;
}

export function enqueueEmail(db: Db, now: number, secret: string, to: string, t: EmailTemplate | DecoyEmail): Promise<string> {
  const payload: EmailPayload = { to, sealed: seal(secret, JSON.stringify(t)) };
  return enqueue(db, now, { topic: EMAIL_TOPIC, payload });
}

export function emailHandler(o: { secret: string; mailer: Mailer; applicationName: () => Promise<string> }): Handler {
  return async function deliverEmail(message) {
    let t: EmailTemplate | DecoyEmail;
    let to: string;
    try {
      const payload = JSON.parse(message.payload) as EmailPayload;
      to = payload.to;
      t = JSON.parse(unseal(o.secret, payload.sealed)) as EmailTemplate | DecoyEmail;
    } catch (err) {
      return { ok: false, retry: false, error: `unreadable email payload: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (t.template === 'decoy') return { ok: true }; // written like a real one, never sent
    try {
      await o.mailer.send({ id: message.id, to, ...renderEmail(t, { applicationName: await o.applicationName() }) });
      return { ok: true };
    } catch (err) {
      return { ok: false, retry: !(err instanceof PermanentSendError), error: err instanceof Error ? err.message : String(err) };
    }
  };
}
