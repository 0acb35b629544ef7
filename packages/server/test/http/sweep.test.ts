/**
 * The sweep on a database the real flows filled (run on SQLite and on PostgreSQL): it deletes
 * exactly what is past its deadline and leaves everything else, whatever the batch size.
 */
import { describe, expect, it } from 'vitest';
import { sweep } from '../../src/sweep/index.js';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { expectOk, signUp } from '../support/flows.js';
import { createTestServer, type TestServer } from '../support/harness.js';

const DAY = 24 * 3600 * 1000;

async function ids(server: TestServer, table: 'sessions' | 'clients' | 'sign_ins' | 'sign_ups' | 'passkey_registrations' | 'users' | 'passkeys') {
  return (await server.deps.store.db.selectFrom(table).select('id').execute()).map((r) => r.id).sort();
}

for (const batch of [2, 500]) {
  describe(`the sweep (batches of ${batch})`, () => {
    it('removes old audit events, abandoned ceremonies, sessions over for a week and idle clients — nothing else', { timeout: 120_000 }, async () => {
      const server = await createTestServer({ settings: { auditRetentionDays: 5 } });
      const auth = new SoftwareAuthenticator();
      const keeper = server.browser();
      const kept = await signUp(keeper, auth, { username: 'keeper' });
      const leaver = server.browser();
      const left = await signUp(leaver, new SoftwareAuthenticator(), { username: 'leaver' });
      expectOk(await leaver.post(`/v1/client/sessions/${left.sessionId}/end`));
      expectOk(await server.browser().post('/v1/client/sign_ins', { strategy: 'passkey' })); // abandoned
      expectOk(await server.browser().post('/v1/client/sign_ups', { username: 'never_finished' })); // abandoned
      expectOk(await keeper.post(`/v1/me/passkeys?_clerk_session_id=${kept.sessionId}`)); // registration abandoned
      expectOk(await server.browser().post('/v1/client')); // a client that never signs in
      const usersBefore = await ids(server, 'users');
      const passkeysBefore = await ids(server, 'passkeys');
      const keeperClient = (await server.deps.store.db.selectFrom('sessions').select('client_id').where('id', '=', kept.sessionId).executeTakeFirstOrThrow()).client_id;

      // The keeper stays active (token refreshes count as activity) over eight days.
      for (let day = 1; day <= 8; day++) {
        server.clock.advance(DAY);
        expectOk(await keeper.post(`/v1/client/sessions/${kept.sessionId}/tokens`));
      }
      const recentStart = server.clock.now() - 5 * DAY;
      // Fresh rows, made just now, must survive.
      const fresh = server.browser();
      const freshSignIn = expectOk(await fresh.post('/v1/client/sign_ins', { strategy: 'passkey' })).response.id;
      const auditBefore = await server.deps.store.db.selectFrom('audit_events').select(['id', 'created_at']).execute();

      const counts = await sweep(server.deps, { batch });

      expect(await ids(server, 'sessions')).toEqual([kept.sessionId]);
      const clients = await ids(server, 'clients');
      expect(clients).toHaveLength(2);
      expect(clients).toContain(keeperClient);
      expect(await ids(server, 'sign_ins')).toEqual([freshSignIn]);
      expect(await ids(server, 'sign_ups')).toEqual([]);
      expect(await ids(server, 'passkey_registrations')).toEqual([]);
      expect(await ids(server, 'users')).toEqual(usersBefore);
      expect(await ids(server, 'passkeys')).toEqual(passkeysBefore);
      const auditAfter = await server.deps.store.db.selectFrom('audit_events').select(['id', 'created_at']).execute();
      expect(auditAfter.map((e) => e.id).sort()).toEqual(auditBefore.filter((e) => e.created_at >= recentStart).map((e) => e.id).sort());
      expect(counts).toEqual({
        audit_events: auditBefore.length - auditAfter.length,
        sign_ins: 1, // the abandoned one
        sign_ups: 3, // two finished more than a day ago, one abandoned
        passkey_registrations: 1,
        sessions: 1, // the leaver's, ended eight days ago
        clients: 4, // the leaver's, the abandoned sign-in's and sign-up's, the bare one
        administrator_rows: 0,
      });
      // The keeper is still signed in.
      expectOk(await keeper.post(`/v1/client/sessions/${kept.sessionId}/tokens`));
      // A second run finds nothing left to do.
      expect(Object.values(await sweep(server.deps, { batch })).every((n) => n === 0)).toBe(true);
    });
  });
}
