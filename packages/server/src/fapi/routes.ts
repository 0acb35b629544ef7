/**
 * Frontend API routes (DESIGN.md "Frontend API"). Thin: parse parameters, call a service, shape
 * the answer. PATCH and DELETE also arrive as `POST …?_method=PATCH|DELETE` (form posts need no
 * CORS preflight), so those routes are registered for both spellings.
 */
import { Hono, type Handler } from 'hono';
import { z } from 'zod';
import { errors } from '../errors/index.js';
import { deletePasskey, finishPasskeyRegistration, renamePasskey, startPasskeyRegistration } from '../passkeys/service.js';
import { endSessions, liveSessionsOfClient, markActive, requireLiveSession } from '../sessions/sessions.js';
import { attemptFirstFactor, createSignIn, loadSignIn, prepareFirstFactor } from '../sign-in/service.js';
import { attemptSignUpVerification, createSignUp, prepareSignUpVerification } from '../sign-up/service.js';
import { actingSession, ensureCaller, envelope, existingCaller, type FapiEnv, setClientCookie, tokenOrigin } from './context.js';
import { environmentJson } from './environment.js';
import { checkOrigin, fapiCors, loadClient, rateLimit } from './middleware.js';
import { credentialParam, parseParams, readParams, str } from './params.js';
import { clientJson, loadUserJson, passkeyJson, sessionJson, signInJson, signUpJson } from './serialize.js';

const signInCreate = z.object({ identifier: str(320).optional(), strategy: str(32).optional() });
const strategyOnly = z.object({ strategy: str(32) });
const attempt = z.object({ strategy: str(32), public_key_credential: credentialParam });
const signUpCreate = z.object({ username: str(64).optional(), email_address: str(254).optional() });
const rename = z.object({ name: z.string().max(1024) });

type Overrides = Partial<Record<'PATCH' | 'DELETE', Handler<FapiEnv>>>;

/** Registers `handlers` under their own method and as `POST path?_method=…`. */
function overridable(app: Hono<FapiEnv>, path: string, handlers: Overrides, post?: Handler<FapiEnv>) {
  for (const [method, h] of Object.entries(handlers)) app.on(method, path, h);
  app.post(path, (c, next) => {
    const method = (c.req.query('_method') ?? '').toUpperCase() as keyof Overrides;
    const h = handlers[method] ?? post;
    if (!h) throw errors.paramInvalid('_method', `Use _method=${Object.keys(handlers).join(' or ')}.`);
    return h(c, next);
  });
}

export function frontendApi(): Hono<FapiEnv> {
  const app = new Hono<FapiEnv>();
  app.use(fapiCors(), checkOrigin(), loadClient());

  const environment: Handler<FapiEnv> = async (c) => c.json(environmentJson(await c.var.deps.settings.get(), c.var.deps));
  app.get('/environment', environment);
  overridable(app, '/environment', { PATCH: environment });

  app.get('/client', async (c) => {
    const client = await clientJson(c.var.deps, c.var.client, tokenOrigin(c));
    return c.json({ response: client, client });
  });
  const signOutAll: Handler<FapiEnv> = async (c) => {
    const caller = existingCaller(c);
    const deps = c.var.deps;
    const now = deps.clock.now();
    const live = await liveSessionsOfClient(deps.store.db, caller.clientId, now, await deps.settings.get());
    await endSessions(deps.store.db, caller.clientId, live.map((s) => s.id), now);
    return envelope(c, await clientJson(deps, c.var.client, null));
  };
  app.use('/client', rateLimit('client'));
  overridable(app, '/client', { DELETE: signOutAll }, async (c) => {
    await ensureCaller(c);
    return envelope(c, null);
  });
  overridable(app, '/client/sessions', { DELETE: signOutAll });

  // Sign-in: unauthenticated, so rate limited per IP.
  // '/x/*' matches '/x' itself too in Hono, so one registration covers create and every step.
  app.use('/client/sign_ins/*', rateLimit('sign_in'));
  app.post('/client/sign_ins', async (c) => {
    const params = parseParams(signInCreate, await readParams(c));
    const { newClient, ...signIn } = await createSignIn(c.var.deps, (trx, o) => ensureCaller(c, trx, o), params);
    const client = { ...c.var.client!, sign_in_id: signIn.id, updated_at: signIn.created_at };
    // A client born in this request has no sessions to look up.
    return envelope(c, signInJson(signIn), 200, { client, signIn, ...(newClient ? { sessions: [] } : {}) });
  });
  app.get('/client/sign_ins/:id', async (c) => c.json({ response: signInJson(await loadSignIn(c.var.deps, existingCaller(c), c.req.param('id'))), client: null }));
  app.post('/client/sign_ins/:id/prepare_first_factor', async (c) => {
    const params = parseParams(strategyOnly, await readParams(c));
    return envelope(c, signInJson(await prepareFirstFactor(c.var.deps, existingCaller(c), c.req.param('id'), params)));
  });
  app.post('/client/sign_ins/:id/attempt_first_factor', async (c) => {
    const params = parseParams(attempt, await readParams(c));
    const done = await attemptFirstFactor(c.var.deps, existingCaller(c), c.req.param('id'), params);
    setClientCookie(c, done.clientToken);
    return envelope(c, signInJson(done.signIn), 200, { client: { ...c.var.client!, ...done.clientChanges } });
  });

  // Sign-up.
  app.use('/client/sign_ups/*', rateLimit('sign_up'));
  app.post('/client/sign_ups', async (c) => {
    const params = parseParams(signUpCreate, await readParams(c));
    return envelope(c, signUpJson(await createSignUp(c.var.deps, await ensureCaller(c), params)));
  });
  app.post('/client/sign_ups/:id/prepare_verification', async (c) => {
    const params = parseParams(strategyOnly, await readParams(c));
    return envelope(c, signUpJson(await prepareSignUpVerification(c.var.deps, existingCaller(c), c.req.param('id'), params)));
  });
  app.post('/client/sign_ups/:id/attempt_verification', async (c) => {
    const params = parseParams(attempt, await readParams(c));
    const done = await attemptSignUpVerification(c.var.deps, existingCaller(c), c.req.param('id'), params);
    setClientCookie(c, done.clientToken);
    return envelope(c, signUpJson(done.signUp));
  });

  // Sessions of this client.
  const liveSession = async (c: Parameters<Handler<FapiEnv>>[0]) => {
    const caller = existingCaller(c);
    const deps = c.var.deps;
    const settings = await deps.settings.get();
    const now = deps.clock.now();
    const session = await requireLiveSession(deps.store.db, { clientId: caller.clientId, sessionId: c.req.param('sid')!, now, lifetimes: settings });
    return { caller, deps, settings, now, session };
  };
  app.post('/client/sessions/:sid/touch', async (c) => {
    const { caller, deps, settings, now, session } = await liveSession(c);
    const touched = await markActive(deps.store.db, session, now, true);
    await deps.store.db.updateTable('clients').set({ last_active_session_id: session.id, updated_at: now }).where('id', '=', caller.clientId).execute();
    return envelope(c, await sessionJson(deps, touched, settings, tokenOrigin(c), true));
  });
  app.post('/client/sessions/:sid/tokens', async (c) => {
    const { deps, settings, now, session } = await liveSession(c);
    await markActive(deps.store.db, session, now, false);
    const jwt = await deps.tokens.fresh(session, settings.tokenSeconds, tokenOrigin(c), now);
    return c.json({ object: 'token', jwt });
  });
  app.post('/client/sessions/:sid/end', async (c) => {
    const { caller, deps, settings, now, session } = await liveSession(c);
    await endSessions(deps.store.db, caller.clientId, [session.id], now);
    return envelope(c, await sessionJson(deps, { ...session, status: 'ended', updated_at: now }, settings, null, false));
  });

  // The signed-in user.
  app.get('/me', async (c) => {
    const { session } = await actingSession(c);
    return envelope(c, await loadUserJson(c.var.deps, session.user_id));
  });
  app.post('/me/passkeys', async (c) => {
    const { caller, session } = await actingSession(c);
    const pending = await startPasskeyRegistration(c.var.deps, caller, session);
    const now = c.var.deps.clock.now();
    return envelope(c, {
      object: 'passkey',
      id: pending.id,
      name: null,
      verification: { object: 'verification', status: 'unverified', strategy: 'passkey', nonce: pending.nonce, attempts: 0, expire_at: pending.expireAt, error: null },
      last_used_at: null,
      created_at: now,
      updated_at: now,
    });
  });
  app.post('/me/passkeys/:id/attempt_verification', async (c) => {
    const params = parseParams(attempt, await readParams(c));
    const { caller, session } = await actingSession(c);
    return envelope(c, passkeyJson(await finishPasskeyRegistration(c.var.deps, caller, session, c.req.param('id'), params)));
  });
  overridable(app, '/me/passkeys/:id', {
    PATCH: async (c) => {
      const params = parseParams(rename, await readParams(c));
      const { caller, session } = await actingSession(c);
      return envelope(c, passkeyJson(await renamePasskey(c.var.deps, caller, session, c.req.param('id')!, params.name)));
    },
    DELETE: async (c) => {
      const { caller, session } = await actingSession(c);
      await deletePasskey(c.var.deps, caller, session, c.req.param('id')!);
      return envelope(c, { object: 'passkey', id: c.req.param('id'), deleted: true });
    },
  });
  return app;
}
