/**
 * Security notices: the owner of an account is told by email when something that could let
 * someone else in happens — a passkey added or removed, a recovery used, a sign-in from a new
 * device. Each is written to the outbox in the transaction of the change it reports (pass that
 * transaction as `db`), so a notice exists exactly when its change committed and survives a
 * crash. A user without a verified email address gets none: an unverified address may be
 * someone else's, and telling them would leak the account's activity.
 *
 * Each notice links to the account portal (`/user` on the server's public URL), where the owner
 * can remove passkeys and sessions they do not recognise.
 *
 * @example
 * // in the recovery flow's transaction, once the recovery code was accepted:
 * await notices.recoveryUsed(deps, trx, { userId, now, method: 'a recovery code' });
 */
import type { Deps } from '../deps.js';
import * as identifiers from '../store/identifiers.js';
import * as sessions from '../store/sessions.js';
import type { Db } from '../store/types.js';
import { nameFromUserAgent } from '../webauthn/naming.js';
import { enqueueEmail } from './outbox.js';
import type { SecurityNotice } from './templates.js';

type NoticeDeps = Pick<Deps, 'email' | 'config'>;
/** A notice's own fields (Omit distributed over the union). */
type Detail = SecurityNotice extends infer N ? (N extends SecurityNotice ? Omit<N, 'at' | 'portalUrl'> : never) : never;

/** The account portal, where the owner reviews passkeys and sessions. */
export function portalUrl(deps: Pick<Deps, 'config'>): string {
  // `/portal/user` is served whether or not the server also hosts an app (docs/portal.md).
  return `${deps.config.publicUrl}/portal/user`;
}

/** Queues the notice to the user's verified address; returns whether there was one to write to. */
async function notify(deps: NoticeDeps, db: Db, o: { userId: string; now: number }, detail: Detail): Promise<boolean> {
  const email = await identifiers.verifiedEmailOf(db, o.userId);
  if (!email) return false;
  await enqueueEmail(db, o.now, deps.email.secret, email.value, { ...detail, at: o.now, portalUrl: portalUrl(deps) } as SecurityNotice);
  return true;
}

export function passkeyAdded(deps: NoticeDeps, db: Db, o: { userId: string; passkeyName: string; now: number }): Promise<boolean> {
  return notify(deps, db, o, { template: 'passkey_added', passkeyName: o.passkeyName });
}

export function passkeyDeleted(deps: NoticeDeps, db: Db, o: { userId: string; passkeyName: string; now: number }): Promise<boolean> {
  return notify(deps, db, o, { template: 'passkey_deleted', passkeyName: o.passkeyName });
}

/** A recovery path was used to get in (`method` completes "signed in with …": "a recovery code"). */
export function recoveryUsed(deps: NoticeDeps, db: Db, o: { userId: string; now: number; method?: string }): Promise<boolean> {
  return notify(deps, db, o, { template: 'recovery_used', method: o.method ?? 'a recovery code' });
}

/**
 * A sign-in from a new device, when the `newDeviceNotice` setting is on. "New device" means a
 * client — one browser profile, known by its `__client` cookie — on which this user has had no
 * session before (`session` is the one just created, not counted). A browser whose cookies were
 * cleared, or that has not been used for longer than sessions are kept (see the sweep), is new
 * again. The user agent only names the device in the mail ("Chrome on Linux").
 */
export async function signInFromNewDevice(
  deps: NoticeDeps,
  db: Db,
  o: { userId: string; clientId: string; session: string; userAgent: string | undefined; now: number },
): Promise<boolean> {
  if (await sessions.hadSessionOnClient(db, { userId: o.userId, clientId: o.clientId, except: o.session })) return false;
  const device = nameFromUserAgent(o.userAgent);
  return notify(deps, db, o, { template: 'new_device_sign_in', device: device === 'Passkey' ? 'an unrecognised browser' : device });
}

export const notices = { passkeyAdded, passkeyDeleted, recoveryUsed, signInFromNewDevice };
