/**
 * Dashboard administrators: separate from the app's users, signed in with passkeys only.
 *
 * - A one-time link (`/dashboard/setup?token=…`) lets its holder register an administrator
 *   passkey: the setup link printed at first start, or an invitation (`latchkey admin invite`, or
 *   an administrator in the dashboard). Valid one hour, single use, stored as its SHA-256.
 * - The passkeys' RP ID is the server's own host (`publicUrl`), and only the server's own origin
 *   may run their ceremonies: the dashboard is served by this server, not by the app.
 * - A dashboard session is a random token in an HttpOnly, SameSite=Strict cookie, stored hashed,
 *   ended after `ADMIN_IDLE_MS` without use or `ADMIN_MAX_MS` after sign-in.
 *
 * Every ceremony's challenge is taken (single use) in its own commit before the response is
 * verified, so a failed attempt spends it too; the link is taken in the transaction that creates
 * the administrator, so a failed registration leaves the link usable.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type AuditContext, audit } from '../audit/index.js';
import type { Deps } from '../deps.js';
import type { DomainPolicy } from '../domains/index.js';
import { fail, LatchkeyError } from '../errors/index.js';
import { rejection } from '../passkeys/ceremony-failure.js';
import * as admins from '../store/administrators.js';
import type { AdministratorLinkRow } from '../store/schema.js';
import { isUniqueViolation } from '../util/db-errors.js';
import { newId } from '../util/ids.js';
import { randomBase64url } from '../util/random.js';
import { parseAuthenticationCredential, parseRegistrationCredential } from '../webauthn/credential-json.js';
import { CeremonyRejected, CredentialParseError } from '../webauthn/errors.js';
import { defaultPasskeyName } from '../webauthn/naming.js';
import { CEREMONY_TIMEOUT_MS, creationOptions, newChallenge, requestOptions } from '../webauthn/options.js';
import { verifyAuthentication } from '../webauthn/verify-authentication.js';
import { verifyRegistration } from '../webauthn/verify-registration.js';

/** A setup or invitation link works for an hour. */
export const ADMIN_LINK_MS = 60 * 60 * 1000;
/** A dashboard session ends after 30 minutes without a request… */
export const ADMIN_IDLE_MS = 30 * 60 * 1000;
/** …and 12 hours after sign-in whatever happens. */
export const ADMIN_MAX_MS = 12 * 60 * 60 * 1000;
/** Activity is written at most this often per session (the idle timeout is coarse anyway). */
const TOUCH_INTERVAL_MS = 60 * 1000;

export const SETUP_PATH = '/dashboard/setup';

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

/** The server's own origin, from `publicUrl`: the only origin the dashboard runs on. */
export function dashboardOrigin(publicUrl: string): string {
  return new URL(publicUrl).origin;
}

/** Administrator passkeys belong to the server's own host, and only its own origin may use them. */
export function adminPolicy(publicUrl: string): DomainPolicy {
  const origin = dashboardOrigin(publicUrl);
  const rpId = new URL(publicUrl).hostname;
  return {
    rpId,
    relatedOrigins: [],
    isAllowedOrigin: (o) => o === origin,
    webauthnOriginProblem: (o) => (o === origin ? null : `Administrator passkeys are used only on ${origin}, not on ${o}.`),
  };
}

export interface AdminIdentity {
  id: string;
  name: string;
  sessionId: string;
}

/** A new one-time link; `url` is the only place its token exists. */
export async function createLink(
  deps: Pick<Deps, 'store' | 'clock' | 'config'>,
  kind: AdministratorLinkRow['kind'],
  ctx: AuditContext = { actor: { type: 'system', id: null } },
): Promise<{ url: string; expireAt: number }> {
  const token = randomBase64url(32);
  const now = deps.clock.now();
  const row: AdministratorLinkRow = {
    id: newId('alink', now),
    token_hash: hash(token),
    kind,
    created_by: ctx.actor?.type === 'admin' ? ctx.actor.id : null,
    created_at: now,
    expire_at: now + ADMIN_LINK_MS,
    used_at: null,
    used_by: null,
  };
  await deps.store.db.transaction().execute(async (trx) => {
    await admins.insertLink(trx, row);
    if (kind === 'invite') await audit(trx, now, 'administrator.invited', { data: { link_id: row.id, expire_at: row.expire_at }, ctx });
  });
  return { url: `${deps.config.publicUrl}${SETUP_PATH}?token=${token}`, expireAt: row.expire_at };
}

/**
 * At start: when no administrator exists, a fresh setup link (every start prints one until the
 * first administrator registers; earlier ones stay valid for their hour). Null otherwise.
 */
export async function setupLinkIfNoAdministrator(deps: Pick<Deps, 'store' | 'clock' | 'config'>): Promise<string | null> {
  if ((await admins.count(deps.store.db)) > 0) return null;
  return (await createLink(deps, 'setup')).url;
}

export async function countAdministrators(deps: Deps): Promise<number> {
  return admins.count(deps.store.db);
}

/** Whether a link still works (the setup page says so before asking for a passkey). */
export async function linkIsLive(deps: Deps, token: string): Promise<boolean> {
  return (await admins.liveLink(deps.store.db, hash(token), deps.clock.now())) !== undefined;
}

async function requireLiveLink(deps: Deps, token: string): Promise<void> {
  if (!(await linkIsLive(deps, token))) throw fail('admin_link_invalid');
}

/** Registration options for the holder of a live link. Nothing is spent yet. */
export async function startRegistration(deps: Deps, o: { token: string; name: string }): Promise<{ ceremonyId: string; options: unknown }> {
  await requireLiveLink(deps, o.token);
  const now = deps.clock.now();
  const challenge = newChallenge();
  const userHandle = randomBase64url(32);
  const ceremonyId = newId('acer', now);
  await admins.insertCeremony(deps.store.db, {
    id: ceremonyId,
    kind: 'register',
    challenge,
    user_handle: userHandle,
    created_at: now,
    expire_at: now + CEREMONY_TIMEOUT_MS,
    used_at: null,
  });
  const settings = await deps.settings.get();
  const options = creationOptions({
    challenge,
    rpId: adminPolicy(deps.config.publicUrl).rpId,
    rpName: `${settings.applicationName} dashboard`,
    userHandle,
    userName: o.name,
    userDisplayName: `${o.name} (administrator)`,
    exclude: [],
    userVerification: 'required',
  });
  return { ceremonyId, options };
}

async function takeCeremony(deps: Deps, id: string, kind: 'register' | 'sign_in') {
  const ceremony = await admins.takeCeremony(deps.store.db, id, kind, deps.clock.now());
  if (!ceremony) throw fail('verification_expired');
  return ceremony;
}

/** Finishes registration: the link is taken, the administrator, their passkey and a session made. */
export async function finishRegistration(
  deps: Deps,
  o: { token: string; ceremonyId: string; name: string; credential: unknown; ctx: AuditContext },
): Promise<{ admin: AdminIdentity; sessionToken: string }> {
  const ceremony = await takeCeremony(deps, o.ceremonyId, 'register');
  let verified;
  try {
    verified = await verifyRegistration({
      response: parseRegistrationCredential(o.credential),
      expectedChallenge: ceremony.challenge,
      policy: adminPolicy(deps.config.publicUrl),
      requireUserPresence: true,
      requireUserVerification: true,
    });
  } catch (err) {
    throw ceremonyError(err, 'passkey_registration_failure');
  }
  const now = deps.clock.now();
  const adminId = newId('adm', now);
  const sessionToken = randomBase64url(32);
  const sessionId = newId('asess', now);
  try {
    await deps.store.db.transaction().execute(async (trx) => {
      // Taken here, in the transaction that uses it: two tabs racing with one link make one administrator.
      const link = await admins.takeLink(trx, hash(o.token), now);
      if (!link) throw fail('admin_link_invalid');
      await admins.insert(trx, { id: adminId, name: o.name, user_handle: ceremony.user_handle!, created_at: now, last_sign_in_at: now });
      await admins.insertPasskey(trx, {
        id: newId('apk', now),
        administrator_id: adminId,
        credential_id: verified.credentialId,
        public_key: verified.publicKey,
        alg: verified.alg,
        counter: verified.counter,
        transports: JSON.stringify(verified.transports),
        aaguid: verified.aaguid,
        backup_eligible: verified.backupEligible ? 1 : 0,
        name: defaultPasskeyName(verified.aaguid, o.ctx.userAgent ?? undefined),
        created_at: now,
        last_used_at: null,
      });
      await admins.setLinkUsedBy(trx, link.id, adminId);
      await admins.insertSession(trx, sessionRow(sessionId, adminId, sessionToken, now, o.ctx));
      const ctx = { ...o.ctx, actor: { type: 'admin' as const, id: adminId } };
      await audit(trx, now, 'administrator.created', { data: { administrator_id: adminId, name: o.name, link: link.kind, invited_by: link.created_by }, ctx });
      await audit(trx, now, 'administrator.signed_in', { data: { administrator_id: adminId, session_id: sessionId }, ctx });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw fail('passkey_registration_failure', { why: 'This passkey is already registered to an administrator.' });
    throw err;
  }
  return { admin: { id: adminId, name: o.name, sessionId }, sessionToken };
}

/** Discoverable sign-in options: the browser offers whichever administrator passkey it holds. */
export async function startSignIn(deps: Deps): Promise<{ ceremonyId: string; options: unknown }> {
  const now = deps.clock.now();
  const challenge = newChallenge();
  const ceremonyId = newId('acer', now);
  await admins.insertCeremony(deps.store.db, {
    id: ceremonyId,
    kind: 'sign_in',
    challenge,
    user_handle: null,
    created_at: now,
    expire_at: now + CEREMONY_TIMEOUT_MS,
    used_at: null,
  });
  const options = requestOptions({ challenge, rpId: adminPolicy(deps.config.publicUrl).rpId, allow: [], userVerification: 'required' });
  return { ceremonyId, options };
}

export async function finishSignIn(
  deps: Deps,
  o: { ceremonyId: string; credential: unknown; ctx: AuditContext },
): Promise<{ admin: AdminIdentity; sessionToken: string }> {
  const ceremony = await takeCeremony(deps, o.ceremonyId, 'sign_in');
  const now = deps.clock.now();
  let credentialId: string | undefined;
  try {
    const response = parseAuthenticationCredential(o.credential);
    credentialId = response.rawId;
    const stored = await admins.passkeyByCredentialId(deps.store.db, response.rawId);
    if (!stored) throw new LatchkeyError('passkey_authentication_failure', { why: 'This passkey is not an administrator passkey of this server.' });
    const result = await verifyAuthentication({
      response,
      credential: {
        credentialId: stored.credential_id,
        publicKey: stored.public_key,
        counter: stored.counter,
        backupEligible: stored.backup_eligible === 1,
        userHandle: stored.user_handle,
      },
      expectedChallenge: ceremony.challenge,
      policy: adminPolicy(deps.config.publicUrl),
      requireUserVerification: true,
      requireUserHandle: true,
    });
    const sessionToken = randomBase64url(32);
    const sessionId = newId('asess', now);
    const admin = await deps.store.db.transaction().execute(async (trx) => {
      if (!(await admins.advanceCounter(trx, stored.id, stored.counter, result.newCounter, now))) {
        throw new LatchkeyError('passkey_authentication_failure', { why: 'This passkey was used by another sign-in at the same moment; try again.' });
      }
      const row = (await admins.byId(trx, stored.administrator_id))!;
      await admins.markSignedIn(trx, row.id, now);
      await admins.insertSession(trx, sessionRow(sessionId, row.id, sessionToken, now, o.ctx));
      await audit(trx, now, 'administrator.signed_in', {
        data: { administrator_id: row.id, session_id: sessionId },
        ctx: { ...o.ctx, actor: { type: 'admin', id: row.id } },
      });
      return row;
    });
    return { admin: { id: admin.id, name: admin.name, sessionId }, sessionToken };
  } catch (err) {
    const answer = ceremonyError(err, 'passkey_authentication_failure');
    await audit(deps.store.db, now, 'administrator.sign_in_failed', { data: { credential_id: credentialId ?? null, reason: answer.longMessage }, ctx: o.ctx });
    throw answer;
  }
}

/** Parse errors and rejected ceremonies become one answer naming the rule; other errors pass. */
function ceremonyError(err: unknown, code: 'passkey_registration_failure' | 'passkey_authentication_failure'): LatchkeyError {
  if (err instanceof LatchkeyError) return err;
  if (err instanceof CredentialParseError) return fail('passkey_invalid_public_key_credential', { param: 'public_key_credential', why: err.message });
  if (err instanceof CeremonyRejected) return rejection(code === 'passkey_registration_failure' ? 'registration' : 'authentication', err.message);
  throw err;
}

function sessionRow(id: string, administratorId: string, token: string, now: number, ctx: AuditContext) {
  return {
    id,
    administrator_id: administratorId,
    token_hash: hash(token),
    created_at: now,
    last_active_at: now,
    expire_at: now + ADMIN_MAX_MS,
    ended_at: null,
    ip: ctx.ip ?? null,
    user_agent: ctx.userAgent ?? null,
  };
}

/**
 * The administrator a dashboard cookie belongs to, or `admin_session_required` (401). A session
 * idle for `ADMIN_IDLE_MS` is ended here, so a stolen laptop's cookie stops working.
 */
export async function authenticateAdmin(deps: Deps, token: string | undefined): Promise<AdminIdentity> {
  if (!token) throw fail('admin_session_required');
  const now = deps.clock.now();
  const digest = hash(token);
  const s = await admins.liveSessionByHash(deps.store.db, digest, now);
  // Found through the unique index on the hash; compared once more in constant time.
  if (!s || !timingSafeEqual(Buffer.from(s.token_hash), Buffer.from(digest))) throw fail('admin_session_required');
  if (now - s.last_active_at >= ADMIN_IDLE_MS) {
    await admins.endSession(deps.store.db, s.id, now);
    throw fail('admin_session_required', { why: 'The dashboard session timed out after 30 minutes without use; sign in again.' });
  }
  if (now - s.last_active_at >= TOUCH_INTERVAL_MS) await admins.touchSession(deps.store.db, s.id, now);
  return { id: s.administrator_id, name: s.name, sessionId: s.id };
}

export async function signOut(deps: Deps, admin: AdminIdentity, ctx: AuditContext): Promise<void> {
  const now = deps.clock.now();
  await deps.store.db.transaction().execute(async (trx) => {
    await admins.endSession(trx, admin.sessionId, now);
    await audit(trx, now, 'administrator.signed_out', { data: { administrator_id: admin.id, session_id: admin.sessionId }, ctx });
  });
}
