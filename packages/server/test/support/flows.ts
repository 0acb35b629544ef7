/**
 * The SDK's ceremonies, step by step over the wire, with a software authenticator. Each helper
 * asserts the happy path's statuses so a test that builds on it fails at the step that broke.
 */
import { expect } from 'vitest';
import { SoftwareAuthenticator } from './authenticator.js';
import type { ApiResult, TestBrowser } from './harness.js';

export function expectOk(r: ApiResult): any {
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export function expectError(r: ApiResult, status: number, code: string): any {
  expect({ status: r.status, code: r.body?.errors?.[0]?.code }).toEqual({ status, code });
  return r.body.errors[0];
}

/** Starts a passkey-first sign-up and returns the sign-up with its creation options. */
export async function startSignUp(b: TestBrowser, identifiers: { username?: string; email_address?: string }) {
  const created = expectOk(await b.post('/v1/client/sign_ups', identifiers)).response;
  const prepared = expectOk(await b.post(`/v1/client/sign_ups/${created.id}/prepare_verification`, { strategy: 'passkey' })).response;
  return { signUp: prepared, options: JSON.parse(prepared.verifications.passkey.nonce) };
}

export async function signUp(b: TestBrowser, auth: SoftwareAuthenticator, identifiers: { username?: string; email_address?: string }) {
  const { signUp: su, options } = await startSignUp(b, identifiers);
  const credential = await auth.create(options, { origin: b.origin! });
  const body = expectOk(await b.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'passkey', public_key_credential: credential }));
  expect(body.response.status).toBe('complete');
  return { sessionId: body.response.created_session_id as string, userId: body.response.created_user_id as string, body };
}

/** Discoverable flow: create with strategy=passkey, then attempt. Returns the raw attempt result. */
export async function startDiscoverable(b: TestBrowser) {
  const signIn = expectOk(await b.post('/v1/client/sign_ins', { strategy: 'passkey' })).response;
  return { signIn, options: JSON.parse(signIn.first_factor_verification.nonce) };
}

export async function startIdentifierFirst(b: TestBrowser, identifier: string) {
  const created = expectOk(await b.post('/v1/client/sign_ins', { identifier })).response;
  const prepared = expectOk(await b.post(`/v1/client/sign_ins/${created.id}/prepare_first_factor`, { strategy: 'passkey' })).response;
  return { signIn: prepared, options: JSON.parse(prepared.first_factor_verification.nonce) };
}

export function attemptSignIn(b: TestBrowser, signInId: string, credential: unknown) {
  return b.post(`/v1/client/sign_ins/${signInId}/attempt_first_factor`, { strategy: 'passkey', public_key_credential: credential });
}

export async function signInDiscoverable(b: TestBrowser, auth: SoftwareAuthenticator) {
  const { signIn, options } = await startDiscoverable(b);
  const assertion = await auth.get(options, { origin: b.origin! });
  const body = expectOk(await attemptSignIn(b, signIn.id, assertion));
  expect(body.response.status).toBe('complete');
  return body.response.created_session_id as string;
}

export async function addPasskey(b: TestBrowser, sessionId: string, auth: SoftwareAuthenticator) {
  const pending = expectOk(await b.post(`/v1/me/passkeys?_clerk_session_id=${sessionId}`)).response;
  const credential = await auth.create(JSON.parse(pending.verification.nonce), { origin: b.origin! });
  return b.post(`/v1/me/passkeys/${pending.id}/attempt_verification?_clerk_session_id=${sessionId}`, {
    strategy: 'passkey',
    public_key_credential: credential,
  });
}
