/**
 * App servers written for Clerk verify session tokens with `@clerk/backend` (pinned dev
 * dependency). Its `verifyToken` accepts RS256 only: with LATCHKEY_TOKEN_ALG=RS256 it accepts
 * Latchkey's tokens both networklessly (`jwtKey`: the PEM of `latchkey jwt-public-key`) and
 * through `GET <apiUrl>/v1/jwks`. A real server on a port: verifyToken fetches over HTTP.
 */
import { verifyToken } from '@clerk/backend';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { publicKeyPem } from '../../src/sessions/public-key-pem.js';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { expectOk, signUp } from '../support/flows.js';
import { CHROME_LINUX_UA, DEV_ORIGIN, TestBrowser, testConfig } from '../support/harness.js';

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function serverWithToken(tokenAlg: 'ES256' | 'RS256') {
  running = await startServer(testConfig({ tokenAlg, port: 0 }), { log: () => {} });
  const url = running.url;
  const b = new TestBrowser({ request: (input, init) => fetch(new URL(input, url), init) }, DEV_ORIGIN, CHROME_LINUX_UA);
  const { sessionId, userId } = await signUp(b, new SoftwareAuthenticator(), { username: 'kim' });
  const jwt = expectOk(await b.post(`/v1/client/sessions/${sessionId}/tokens`)).jwt as string;
  // `/v1/jwks` is a backend-API route, as on Clerk: it takes the app server's secret key.
  const { key: secretKey } = await running.deps.secretKeys.create('clerk backend test');
  return { url, jwt, sessionId, userId, deps: running.deps, secretKey };
}

describe("@clerk/backend's verifyToken on Latchkey's session tokens", () => {
  it('accepts RS256 tokens with the PEM public key (networkless), checking azp', async () => {
    const { jwt, sessionId, userId, deps } = await serverWithToken('RS256');
    const jwtKey = publicKeyPem((await deps.keys.publicJwks()).keys[0]!);
    expect(jwtKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const claims = await verifyToken(jwt, { jwtKey, authorizedParties: [DEV_ORIGIN] });
    expect(claims).toMatchObject({ sub: userId, sid: sessionId, azp: DEV_ORIGIN });
    await expect(verifyToken(jwt, { jwtKey, authorizedParties: ['https://evil.example'] })).rejects.toThrow(/azp/);
    // A token signed by another key fails the signature check.
    const tampered = `${jwt.slice(0, jwt.lastIndexOf('.'))}.${'A'.repeat(342)}`;
    await expect(verifyToken(tampered, { jwtKey })).rejects.toThrow(/signature/i);
  });

  it('accepts RS256 tokens with the JWKS fetched from <apiUrl>/v1/jwks', async () => {
    const { url, jwt, userId, secretKey } = await serverWithToken('RS256');
    const jwks = (await (await fetch(`${url}/v1/jwks`, { headers: { authorization: `Bearer ${secretKey}` } })).json()) as { keys: { alg: string }[] };
    expect(jwks.keys[0]!.alg).toBe('RS256');
    expect((await fetch(`${url}/v1/jwks`, { headers: { authorization: 'Bearer sk_test_unknown' } })).status).toBe(401);
    const claims = await verifyToken(jwt, { apiUrl: url, secretKey, skipJwksCache: true });
    expect(claims.sub).toBe(userId);
    await expect(verifyToken(jwt, { apiUrl: url, secretKey, skipJwksCache: true, issuer: 'https://other.example' })).rejects.toThrow(/issuer/);
  });

  it('refuses the default ES256 tokens: Clerk verifies RS256 only, hence LATCHKEY_TOKEN_ALG=RS256', async () => {
    const { url, jwt, secretKey } = await serverWithToken('ES256');
    await expect(verifyToken(jwt, { apiUrl: url, secretKey, skipJwksCache: true })).rejects.toThrow(/Invalid JWT algorithm "ES256"/);
  });
});
