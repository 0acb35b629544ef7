/**
 * Latchkey as the load driver's target: each step is the request our browser SDK sends
 * (form-encoded bodies, `Origin`, the `__client` cookie), so the server does exactly the work a
 * real sign-in costs it.
 */
import { SoftwareAuthenticator } from '../../../packages/server/test/support/authenticator.js';
import { CookieJar, expectStatus, type Http, type HttpResult } from '../../lib/http.js';
import type { BenchUser, Target } from '../target.js';

export function latchkeyTarget(origin: string): Target {
  const post = (http: Http, jar: CookieJar, path: string, form: Record<string, string> = {}): Promise<HttpResult> =>
    http.request('POST', path, { form, headers: { origin, cookie: jar.header() } }).then((r) => {
      jar.take(r.setCookie);
      return r;
    });

  return {
    name: 'latchkey',
    origin,

    async register(http, index) {
      const jar = new CookieJar();
      const authenticator = new SoftwareAuthenticator({ signCount: 'increment' });
      const created = expectStatus(await post(http, jar, '/v1/client/sign_ups', { username: `bench_user_${index}` }), 200, 'sign_ups').body.response;
      const prepared = expectStatus(
        await post(http, jar, `/v1/client/sign_ups/${created.id}/prepare_verification`, { strategy: 'passkey' }),
        200,
        'prepare_verification',
      ).body.response;
      const credential = await authenticator.create(JSON.parse(prepared.verifications.passkey.nonce), { origin });
      const done = expectStatus(
        await post(http, jar, `/v1/client/sign_ups/${created.id}/attempt_verification`, {
          strategy: 'passkey',
          public_key_credential: JSON.stringify(credential),
        }),
        200,
        'attempt_verification',
      ).body.response;
      if (done.status !== 'complete') throw new Error(`sign-up ended as ${done.status}`);
      return { identifier: `bench_user_${index}`, authenticator, credentialId: credential.id };
    },

    async signIn(http, user: BenchUser) {
      const jar = new CookieJar(); // a fresh browser: no client yet
      const signIn = expectStatus(await post(http, jar, '/v1/client/sign_ins', { strategy: 'passkey' }), 200, 'sign_ins').body.response;
      const assertion = await user.authenticator.get(JSON.parse(signIn.first_factor_verification.nonce), {
        origin,
        credentialId: user.credentialId,
      });
      const done = expectStatus(
        await post(http, jar, `/v1/client/sign_ins/${signIn.id}/attempt_first_factor`, {
          strategy: 'passkey',
          public_key_credential: JSON.stringify(assertion),
        }),
        200,
        'attempt_first_factor',
      ).body.response;
      if (done.status !== 'complete') throw new Error(`sign-in ended as ${done.status}`);
      const token = expectStatus(await post(http, jar, `/v1/client/sessions/${done.created_session_id}/tokens`), 200, 'tokens').body;
      if (typeof token?.jwt !== 'string') throw new Error('tokens: no jwt in the answer');
    },
  };
}
