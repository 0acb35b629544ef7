/**
 * What a sign-in costs the database, in statements (each one a round trip on PostgreSQL; BEGIN
 * and COMMIT included): a fresh browser's full passkey sign-in is three requests — create the
 * sign-in, attempt it, mint a token. The counts are exact: a change that adds a statement to the
 * hot path fails here and must say why (docs/performance.md lists them).
 */
import { describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { attemptSignIn, expectOk, signUp, startDiscoverable } from '../support/flows.js';
import { createTestServer } from '../support/harness.js';
import { testEngine } from '../support/database.js';

describe(`statements per sign-in (${testEngine})`, () => {
  it('a fresh browser signs in with 4 + 15 + 2 statements (1 + 7 + 2 on PostgreSQL), none repeated', async () => {
    const log: string[] = [];
    let counting = false;
    const server = await createTestServer({ onQuery: (sql) => counting && log.push(sql) });
    const auth = new SoftwareAuthenticator();
    await signUp(server.browser(), auth, { username: 'stmt_user' });

    const b = server.browser();
    const counts: Record<string, number> = {};
    const measure = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      log.length = 0;
      counting = true;
      try {
        return await run();
      } finally {
        counting = false;
        counts[name] = log.length;
        console.log(`[statements] ${name}: ${log.length}\n  ${log.map((s) => s.slice(0, 100)).join('\n  ')}`);
      }
    };
    const { signIn, options } = await measure('create sign-in', () => startDiscoverable(b));
    const assertion = await auth.get(options, { origin: b.origin! });
    const done = expectOk(await measure('attempt', () => attemptSignIn(b, signIn.id, assertion)));
    const attempts = [...log];
    const sid = done.response.created_session_id as string;
    expectOk(await measure('token', () => b.post(`/v1/client/sessions/${sid}/tokens`)));

    // PostgreSQL: a fresh browser's client and sign-in are one statement (store/sign-in-start.ts);
    // the six writes that complete a sign-in, and the session.created webhook messages (none
    // without endpoints), are one; the snapshot's sessions with their owners are one
    // (store/client-sessions.ts). SQLite runs them one by one: the webhook fan-out is its 15th (an
    // INSERT … SELECT that writes nothing when no endpoint subscribes).
    expect(counts).toEqual(testEngine === 'postgres' ? { 'create sign-in': 1, attempt: 7, token: 2 } : { 'create sign-in': 4, attempt: 15, token: 2 });
    expect(attempts.length, 'no statement of the attempt repeats another').toBe(new Set(attempts).size);
  });
});
