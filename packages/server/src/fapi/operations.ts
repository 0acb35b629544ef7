/**
 * The frontend API's operations as the OpenAPI document lists them, with the same zod schemas
 * routes.ts parses with. A test compares this list with the routes the app registers, so a new
 * route without an entry here fails the suite.
 */
import type { z } from 'zod';
import { attempt, passkeyCreate, rename, signInCreate, signUpCreate, strategyOnly } from './routes.js';

export interface FrontendOperation {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Hono syntax, relative to `/v1`. */
  path: string;
  summary: string;
  body?: z.ZodObject;
}

const override = (method: 'PATCH' | 'DELETE') => `Also sent as POST with ?_method=${method} (a form post needs no CORS preflight).`;

export const frontendOperations: FrontendOperation[] = [
  { method: 'get', path: '/environment', summary: 'The settings the sign-in UI needs' },
  { method: 'patch', path: '/environment', summary: `The environment (Clerk's SDK patches it). ${override('PATCH')}` },
  { method: 'post', path: '/environment', summary: 'POST ?_method=PATCH: the environment' },
  { method: 'get', path: '/client', summary: "The browser's client: sessions, sign-in, sign-up" },
  { method: 'post', path: '/client', summary: "Create the browser's client (or, with ?_method=DELETE, sign out of every session)" },
  { method: 'delete', path: '/client', summary: `Sign out of every session. ${override('DELETE')}` },
  { method: 'post', path: '/client/sessions', summary: 'POST ?_method=DELETE: sign out of every session' },
  { method: 'delete', path: '/client/sessions', summary: `Sign out of every session. ${override('DELETE')}` },
  { method: 'post', path: '/client/sign_ins', summary: 'Start a sign-in (strategy=passkey: discoverable/autofill; identifier: identifier-first)', body: signInCreate },
  { method: 'get', path: '/client/sign_ins/:id', summary: 'Read a sign-in of this client' },
  { method: 'post', path: '/client/sign_ins/:id/prepare_first_factor', summary: 'Passkey request options for an identifier-first sign-in; strategy=email_code (with email_address_id) emails a sign-in code', body: strategyOnly },
  { method: 'post', path: '/client/sign_ins/:id/attempt_first_factor', summary: 'Verify the passkey assertion, the emailed code (strategy=email_code), or a recovery code (strategy=recovery_code: a limited session until a passkey is added); complete creates a session', body: attempt },
  { method: 'post', path: '/client/sign_ups', summary: 'Start a passkey-first sign-up', body: signUpCreate },
  { method: 'post', path: '/client/sign_ups/:id/prepare_verification', summary: 'Passkey creation options for the sign-up', body: strategyOnly },
  { method: 'post', path: '/client/sign_ups/:id/attempt_verification', summary: 'Verify the attestation; creates the user and a session', body: attempt },
  { method: 'post', path: '/client/sessions/:sid/touch', summary: "Make the session the client's active one" },
  { method: 'post', path: '/client/sessions/:sid/tokens', summary: 'A fresh session token (JWT)' },
  { method: 'post', path: '/client/sessions/:sid/end', summary: 'Sign this session out' },
  { method: 'get', path: '/client/sessions/:sid', summary: 'Read one session of this client (session.reload())' },
  { method: 'post', path: '/client/sessions/:sid/remove', summary: 'Remove one session (Clerk\'s signOut({ sessionId }) with several sessions)' },
  { method: 'post', path: '/client/sessions/:sid/tokens/:template', summary: 'A token from a JWT template (getToken({ template }))' },
  { method: 'get', path: '/me', summary: 'The signed-in user (?_clerk_session_id names the acting session)' },
  { method: 'post', path: '/me/passkeys', summary: 'Start adding a passkey: the nonce holds creation options; mediation=conditional for an automatic upgrade (UP and UV may then be false)', body: passkeyCreate },
  { method: 'post', path: '/me/passkeys/:id/attempt_verification', summary: 'Finish adding a passkey', body: attempt },
  { method: 'patch', path: '/me/passkeys/:id', summary: `Rename a passkey. ${override('PATCH')}`, body: rename },
  { method: 'delete', path: '/me/passkeys/:id', summary: `Delete a passkey (not the last one). ${override('DELETE')}` },
  { method: 'post', path: '/me/passkeys/:id', summary: 'POST ?_method=PATCH (rename, body name) or ?_method=DELETE' },
  { method: 'patch', path: '/me', summary: `Set or replace the username or email address. ${override('PATCH')}` },
  { method: 'delete', path: '/me', summary: `Delete the account. ${override('DELETE')}` },
  { method: 'post', path: '/me', summary: 'POST ?_method=PATCH (profile) or ?_method=DELETE (delete the account)' },
  { method: 'get', path: '/me/sessions/active', summary: "The user's live sessions, on every device" },
  { method: 'get', path: '/me/recovery_codes', summary: 'How many of the user\'s recovery codes remain' },
  { method: 'post', path: '/me/recovery_codes', summary: 'A new set of ten recovery codes, replacing the old one; the codes are in this answer only' },
  { method: 'post', path: '/me/sessions/:id/revoke', summary: "End one of the user's sessions, on any device" },
];
