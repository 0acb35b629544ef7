/**
 * The driver's adapter for the peer: better-auth 1.7.6 + @better-auth/passkey 1.7.6
 * (bench/peer/server.mjs). It speaks HTTP only and makes exactly the calls better-auth's browser
 * client makes (`authClient.signUp.email`, `authClient.passkey.addPasskey`,
 * `authClient.signIn.passkey`), with the SoftwareAuthenticator in place of
 * navigator.credentials. Everything below was read from the installed sources
 * (bench/peer/node_modules/@better-auth/passkey/dist/{index,client}.mjs and
 * better-auth/dist/api/routes/sign-up.mjs, ../middlewares/origin-check.mjs), not guessed:
 *
 * All paths are under better-auth's default basePath `/api/auth`; bodies are JSON.
 *
 * Registration (one account + one passkey):
 *   1. POST /sign-up/email  {name, email, password}  → 200 {token, user}, and (autoSignIn is on
 *      by default) Set-Cookie `better-auth.session_token` (signed; no `__Secure-` prefix because
 *      the peer's baseURL is http).
 *   2. GET  /passkey/generate-register-options  (no query: the client only adds
 *      authenticatorAttachment/name/context when asked) → 200
 *      PublicKeyCredentialCreationOptionsJSON (from @simplewebauthn/server: rp.id "localhost",
 *      random user.id, attestation "none", residentKey/userVerification "preferred",
 *      excludeCredentials = the user's passkeys), and
 *      Set-Cookie `better-auth.better-auth-passkey` (signed, Max-Age 300): a random token naming a
 *      `verification` row that holds the expected challenge. Behind `freshSessionMiddleware`, so
 *      it needs the session cookie from step 1, created less than `freshAge` (1 day) ago.
 *   3. POST /passkey/verify-registration  {response}  — the RegistrationResponseJSON without
 *      `clientExtensionResults` (the client strips it; `name` is sent only when given, and
 *      `createSession` only when asked) → 200 the new passkey row (credentialID, publicKey, …).
 *      Needs both cookies; the challenge row is consumed (deleted). The expected WebAuthn origin
 *      is the plugin's `origin` option (set in server.mjs), else the request's Origin header.
 *
 * Sign-in (fresh browser, discoverable-credential flow):
 *   1. GET  /passkey/generate-authenticate-options → 200 PublicKeyCredentialRequestOptionsJSON
 *      {rpId, challenge, timeout, userVerification: "preferred"}: no allowCredentials without a
 *      session, and Set-Cookie `better-auth.better-auth-passkey` as above (a challenge cookie is
 *      the only state; the challenge itself is stored in the `verification` table).
 *   2. POST /passkey/verify-authentication  {response}  — AuthenticationResponseJSON without
 *      `clientExtensionResults` — with the challenge cookie → 200 {session, user} and Set-Cookie
 *      `better-auth.session_token`. The server looks the passkey up by `response.id`, verifies,
 *      updates its counter, creates a session row. The challenge cookie is not cleared (its
 *      `verification` row is deleted).
 *
 * CSRF: better-auth checks Origin against trustedOrigins on POSTs that carry a Cookie header (and
 * on the sign-up POST because it has an Origin). We send `Origin: <origin>` on every request, and
 * a Cookie header whenever the jar holds one — like a browser, which sends none from a fresh
 * profile (the first request of each flow).
 */
import { SoftwareAuthenticator } from '../../../packages/server/test/support/authenticator.js';
import { CookieJar, expectStatus, type Http, type HttpResult } from '../../lib/http.js';
import type { BenchUser, Target } from '../target.js';

const BASE = '/api/auth';
const PASSWORD = 'bench-Password-2026!';
const SESSION_COOKIE = /^(?:__Secure-)?better-auth\.session_token=([^;]+)/;

/** Reads a JSON body as the given shape; throws when it is not an object. */
function jsonBody<T>(r: HttpResult, step: string): T {
  if (r.body === null || typeof r.body !== 'object') {
    const got = JSON.stringify(r.body)?.slice(0, 200);
    throw new Error(`${step}: expected a JSON object, got ${got}`);
  }
  return r.body as T;
}

/** The session cookie this response set, or undefined. */
function sessionCookie(r: HttpResult): string | undefined {
  for (const line of r.setCookie) {
    const m = SESSION_COOKIE.exec(line);
    if (m && !/max-age=0(?:;|$)/i.test(line)) return m[1];
  }
  return undefined;
}

/** The response JSON the browser client posts: everything but clientExtensionResults. */
function withoutExtensions<T extends { clientExtensionResults?: unknown }>(
  cred: T,
): Omit<T, 'clientExtensionResults'> {
  const { clientExtensionResults: _omit, ...rest } = cred;
  return rest;
}

class PeerTarget implements Target {
  readonly name = 'peer';

  constructor(readonly origin: string) {}

  /** One browser request: Origin always, Cookie when the jar has any, Set-Cookie into the jar. */
  private async call(
    http: Http,
    jar: CookieJar,
    method: 'GET' | 'POST',
    path: string,
    json?: unknown,
  ): Promise<HttpResult> {
    const headers: Record<string, string> = { origin: this.origin };
    const cookie = jar.header();
    if (cookie) headers.cookie = cookie;
    const r = await http.request(
      method,
      BASE + path,
      json === undefined ? { headers } : { headers, json },
    );
    jar.take(r.setCookie);
    return r;
  }

  async register(http: Http, index: number): Promise<BenchUser> {
    const jar = new CookieJar();
    const email = `user${index}@bench.test`;

    const signUp = expectStatus(
      await this.call(http, jar, 'POST', '/sign-up/email', {
        name: `Bench User ${index}`,
        email,
        password: PASSWORD,
      }),
      200,
      'sign-up/email',
    );
    if (!sessionCookie(signUp)) throw new Error('sign-up/email: no session cookie set');

    const opts = expectStatus(
      await this.call(http, jar, 'GET', '/passkey/generate-register-options'),
      200,
      'passkey/generate-register-options',
    );
    const authenticator = new SoftwareAuthenticator({ alg: 'ES256', signCount: 'increment' });
    const credential = await authenticator.create(
      jsonBody(opts, 'passkey/generate-register-options'),
      { origin: this.origin },
    );

    const verified = expectStatus(
      await this.call(http, jar, 'POST', '/passkey/verify-registration', {
        response: withoutExtensions(credential),
      }),
      200,
      'passkey/verify-registration',
    );
    const passkey = jsonBody<{ credentialID?: string }>(verified, 'passkey/verify-registration');
    if (passkey.credentialID !== credential.id) {
      throw new Error(
        `passkey/verify-registration: stored credentialID ${passkey.credentialID} != ${credential.id}`,
      );
    }
    return { identifier: email, authenticator, credentialId: credential.id };
  }

  async signIn(http: Http, user: BenchUser): Promise<void> {
    const jar = new CookieJar();

    const opts = expectStatus(
      await this.call(http, jar, 'GET', '/passkey/generate-authenticate-options'),
      200,
      'passkey/generate-authenticate-options',
    );
    const assertion = await user.authenticator.get(
      jsonBody(opts, 'passkey/generate-authenticate-options'),
      { origin: this.origin, credentialId: user.credentialId },
    );

    const verified = expectStatus(
      await this.call(http, jar, 'POST', '/passkey/verify-authentication', {
        response: withoutExtensions(assertion),
      }),
      200,
      'passkey/verify-authentication',
    );
    if (!sessionCookie(verified)) {
      throw new Error('passkey/verify-authentication: no session cookie set');
    }
  }
}

export function peerTarget(origin: string): Target {
  return new PeerTarget(origin);
}
