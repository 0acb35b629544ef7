import { describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { attemptSignIn, expectOk, signUp, startDiscoverable, startSignUp } from '../support/flows.js';
import { createTestServer } from '../support/harness.js';

const PARALLEL = 20;

describe('one challenge, many attempts at once', () => {
  it('sign-in: 20 parallel attempts with the same valid assertion → exactly one session', async () => {
    const server = await createTestServer();
    const auth = new SoftwareAuthenticator();
    await signUp(server.browser(), auth, { username: 'racer' });
    const b = server.browser();
    const { signIn, options } = await startDiscoverable(b);
    const assertion = await auth.get(options, { origin: b.origin! });
    const results = await Promise.all(Array.from({ length: PARALLEL }, () => attemptSignIn(b, signIn.id, assertion)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    // A loser either finds the challenge spent or the sign-in done (400), or — when it arrives
    // after the winner committed — finds its client cookie rotated away by the sign-in (401).
    for (const r of results.filter((x) => x.status !== 200)) {
      expect([`400 verification_expired`, `400 sign_in_already_complete`, `401 signed_out`]).toContain(`${r.status} ${r.body.errors[0].code}`);
    }
    const sessions = await server.deps.store.db.selectFrom('sessions').select('id').where('client_id', '=', ok[0]!.body.client.id).execute();
    expect(sessions).toHaveLength(1);
  });

  it('sign-up: 20 parallel attempts with the same attestation → exactly one user', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { signUp: su, options } = await startSignUp(b, { username: 'twin' });
    const credential = await new SoftwareAuthenticator().create(options, { origin: b.origin! });
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        b.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'passkey', public_key_credential: credential }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    // As for sign-in: a loser arriving after the winner committed holds a rotated-away cookie.
    for (const r of results.filter((x) => x.status !== 200)) {
      expect([400, 401]).toContain(r.status);
      if (r.status === 401) expect(r.body.errors[0].code).toBe('signed_out');
    }
    expect(await server.deps.store.db.selectFrom('users').select('id').execute()).toHaveLength(1);
    expect(await server.deps.store.db.selectFrom('passkeys').select('id').execute()).toHaveLength(1);
  });

  it('two different valid assertions racing on one passkey cannot both move its counter', async () => {
    const server = await createTestServer();
    const auth = new SoftwareAuthenticator();
    await signUp(server.browser(), auth, { username: 'clone' });
    const b1 = server.browser();
    const b2 = server.browser();
    const s1 = await startDiscoverable(b1);
    const s2 = await startDiscoverable(b2);
    // Same counter value in both: one authenticator and its clone.
    const a1 = await auth.get(s1.options, { origin: b1.origin!, tamper: { counter: 7 } });
    const a2 = await auth.get(s2.options, { origin: b2.origin!, tamper: { counter: 7 } });
    const [r1, r2] = await Promise.all([attemptSignIn(b1, s1.signIn.id, a1), attemptSignIn(b2, s2.signIn.id, a2)]);
    expect([r1.status, r2.status].sort()).toEqual([200, 400]);
    const pk = await server.deps.store.db.selectFrom('passkeys').select('counter').executeTakeFirstOrThrow();
    expect(pk.counter).toBe(7);
    expectOk(r1.status === 200 ? r1 : r2);
  });
});
