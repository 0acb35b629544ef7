/**
 * Frontend API routes (DESIGN.md "Frontend API"). Thin: parse parameters, call a flow, present
 * its answer. PATCH and DELETE also arrive as `POST …?_method=PATCH|DELETE` (form posts need no
 * CORS preflight), so those routes are registered for both spellings.
 */
import { Hono, type Handler } from 'hono';
import { z } from 'zod';
import { ensureClient, readClient, signOutAll } from '../clients/flows.js';
import { fail } from '../errors/index.js';
import { clientCookie } from '../middleware/client-cookie/index.js';
import { noStore } from '../middleware/no-store/index.js';
import { tokenAzp } from '../middleware/token-azp/index.js';
import { deletePasskey, finishPasskeyRegistration, readMe, renamePasskey, startPasskeyRegistration } from '../passkeys/flows.js';
import { endSession, mintSessionToken, mintTemplateToken, readSession, touchSession } from '../clients/session-flows.js';
import { attemptEmailCodeFirstFactor, prepareEmailCodeFirstFactor } from '../sign-in/email-code.js';
import { attemptFirstFactor, createSignIn, prepareFirstFactor, readSignIn } from '../sign-in/flows.js';
import { attemptRecoveryCode } from '../recovery/sign-in.js';
import { attemptSignUpEmailCode, prepareSignUpEmailCode } from '../sign-up/email-code.js';
import { attemptSignUpVerification, createSignUp, prepareSignUpVerification } from '../sign-up/flows.js';
import { actingSessionId, callerOf, envelope, type FapiEnv } from './context.js';
import { environmentJson } from './environment.js';
import { meRoutes } from './me-routes.js';
import { clientIp } from '../middleware/rate-limit/index.js';
import { checkOrigin, fapiCors, rateLimit } from './middleware.js';
import { credentialParam, parseParams, readParams, str } from './params.js';
import { passkeyIdOf, sessionIdOf, signInIdOf, signUpIdOf } from './path-ids.js';
import { clientJson, deletedPasskeyJson, passkeyJson, pendingPasskeyJson, sessionJson, signInJson, signUpJson, userJson } from './present.js';

export const signInCreate = z.object({ identifier: str(320).optional(), strategy: str(32).optional() });
export const strategyOnly = z.object({ strategy: str(32) });
export const attempt = z.object({ strategy: str(32), public_key_credential: credentialParam });
export const signUpCreate = z.object({ username: str(64).optional(), email_address: str(254).optional() });
export const rename = z.object({ name: str(1024) });
/** `mediation=conditional`: the SDK will create the passkey without a prompt (an automatic upgrade). */
export const passkeyCreate = z.object({ mediation: z.literal('conditional').optional() });
export const codeAttempt = z.object({ strategy: z.literal('email_code'), code: str(16) });
export const emailCodePrepare = z.object({ strategy: z.literal('email_code'), email_address_id: str(64).optional() });
export const recoveryCodeAttempt = z.object({ strategy: z.literal('recovery_code'), code: str(64).min(1) });

type Overrides = Partial<Record<'PATCH' | 'DELETE', Handler<FapiEnv>>>;

/** Registers `handlers` under their own method and as `POST path?_method=…`. */
function overridable(app: Hono<FapiEnv>, path: string, handlers: Overrides, post?: Handler<FapiEnv>) {
  for (const [method, h] of Object.entries(handlers)) app.on(method, path, h);
  app.post(path, (c, next) => {
    const method = (c.req.query('_method') ?? '').toUpperCase() as keyof Overrides;
    const h = handlers[method] ?? post;
    if (!h) throw fail('form_param_format_invalid', { param: '_method', why: `Use _method=${Object.keys(handlers).join(' or ')}.` });
    return h(c, next);
  });
}

export function frontendApi(): Hono<FapiEnv> {
  const app = new Hono<FapiEnv>();
  app.use(noStore(), fapiCors(), checkOrigin(), clientCookie(), tokenAzp());

  const environment: Handler<FapiEnv> = async (c) => c.json(environmentJson(await c.var.deps.settings.get(), c.var.deps.config.mode));
  app.get('/environment', environment);
  overridable(app, '/environment', { PATCH: environment });

  // The browser's client.
  app.get('/client', async (c) => {
    const answer = await readClient(c.var.deps, callerOf(c));
    const client = answer.snapshot ? clientJson(answer.snapshot) : null;
    return c.json({ response: client, client });
  });
  const signOutEverywhere: Handler<FapiEnv> = async (c) => {
    const answer = await signOutAll(c.var.deps, callerOf(c));
    return envelope(c, answer, answer.snapshot ? clientJson(answer.snapshot) : null);
  };
  app.use('/client', rateLimit('client'));
  overridable(app, '/client', { DELETE: signOutEverywhere }, async (c) => envelope(c, await ensureClient(c.var.deps, callerOf(c)), null));
  overridable(app, '/client/sessions', { DELETE: signOutEverywhere });

  // Sign-in: unauthenticated, so rate limited per IP.
  // '/x/*' matches '/x' itself too in Hono, so one registration covers create and every step.
  app.use('/client/sign_ins/*', rateLimit('sign_in'));
  app.post('/client/sign_ins', async (c) => {
    const params = parseParams(signInCreate, await readParams(c));
    const answer = await createSignIn(c.var.deps, callerOf(c), params);
    return envelope(c, answer, signInJson(answer.result));
  });
  app.get('/client/sign_ins/:id', async (c) => c.json({ response: signInJson(await readSignIn(c.var.deps, callerOf(c), signInIdOf(c))), client: null }));
  // `strategy=email_code` goes to sign-in/email-code.ts. Parameters are parsed before the path
  // id is read, so a bad body answers 422 before an unknown id's 404.
  app.post('/client/sign_ins/:id/prepare_first_factor', async (c) => {
    const raw = await readParams(c);
    if (raw.strategy === 'email_code') {
      const params = parseParams(emailCodePrepare, raw);
      const answer = await prepareEmailCodeFirstFactor(c.var.deps, callerOf(c), signInIdOf(c), params, clientIp(c, c.var.deps.config.trustProxy));
      return envelope(c, answer, signInJson(answer.result));
    }
    const params = parseParams(strategyOnly, raw);
    const answer = await prepareFirstFactor(c.var.deps, callerOf(c), signInIdOf(c), params);
    return envelope(c, answer, signInJson(answer.result));
  });
  app.post('/client/sign_ins/:id/attempt_first_factor', async (c) => {
    const raw = await readParams(c);
    if (raw.strategy === 'email_code') {
      const params = parseParams(codeAttempt, raw);
      const answer = await attemptEmailCodeFirstFactor(c.var.deps, callerOf(c), signInIdOf(c), params);
      return envelope(c, answer, signInJson(answer.result));
    }
    if (raw.strategy === 'recovery_code') {
      const params = parseParams(recoveryCodeAttempt, raw);
      const answer = await attemptRecoveryCode(c.var.deps, callerOf(c), signInIdOf(c), params, clientIp(c, c.var.deps.config.trustProxy));
      return envelope(c, answer, signInJson(answer.result));
    }
    const params = parseParams(attempt, raw);
    const answer = await attemptFirstFactor(c.var.deps, callerOf(c), signInIdOf(c), params);
    return envelope(c, answer, signInJson(answer.result));
  });

  // Sign-up.
  app.use('/client/sign_ups/*', rateLimit('sign_up'));
  app.post('/client/sign_ups', async (c) => {
    const params = parseParams(signUpCreate, await readParams(c));
    const answer = await createSignUp(c.var.deps, callerOf(c), params);
    return envelope(c, answer, signUpJson(answer.result));
  });
  app.post('/client/sign_ups/:id/prepare_verification', async (c) => {
    const params = parseParams(strategyOnly, await readParams(c));
    const answer =
      params.strategy === 'email_code'
        ? await prepareSignUpEmailCode(c.var.deps, callerOf(c), signUpIdOf(c), clientIp(c, c.var.deps.config.trustProxy))
        : await prepareSignUpVerification(c.var.deps, callerOf(c), signUpIdOf(c), params);
    return envelope(c, answer, signUpJson(answer.result));
  });
  app.post('/client/sign_ups/:id/attempt_verification', async (c) => {
    const raw = await readParams(c);
    const answer =
      raw.strategy === 'email_code'
        ? await attemptSignUpEmailCode(c.var.deps, callerOf(c), signUpIdOf(c), parseParams(codeAttempt, raw))
        : await attemptSignUpVerification(c.var.deps, callerOf(c), signUpIdOf(c), parseParams(attempt, raw));
    return envelope(c, answer, signUpJson(answer.result));
  });

  // Sessions of this client.
  app.post('/client/sessions/:sid/touch', async (c) => {
    const answer = await touchSession(c.var.deps, callerOf(c), sessionIdOf(c));
    const { session, token } = answer.result;
    return envelope(c, answer, sessionJson(session, answer.snapshot?.users.get(session.user_id) ?? null, token));
  });
  app.post('/client/sessions/:sid/tokens', async (c) => c.json({ object: 'token', jwt: await mintSessionToken(c.var.deps, callerOf(c), sessionIdOf(c)) }));
  // `session.getToken({ template })`: a token for a third party, shaped by a JWT template.
  app.post('/client/sessions/:sid/tokens/:template', async (c) =>
    c.json({ object: 'token', jwt: await mintTemplateToken(c.var.deps, callerOf(c), sessionIdOf(c), c.req.param('template')) }),
  );
  app.post('/client/sessions/:sid/end', async (c) => {
    const answer = await endSession(c.var.deps, callerOf(c), sessionIdOf(c));
    return envelope(c, answer, sessionJson(answer.result.session, null, null));
  });
  // Clerk's `signOut({ sessionId })` with several sessions on the browser: ends that one only.
  // Stored as ended like any sign-out; the answer says `removed`, as Clerk's does.
  app.post('/client/sessions/:sid/remove', async (c) => {
    const answer = await endSession(c.var.deps, callerOf(c), sessionIdOf(c));
    return envelope(c, answer, { ...sessionJson(answer.result.session, null, null), status: 'removed' });
  });
  // `session.reload()`.
  app.get('/client/sessions/:sid', async (c) => {
    const answer = await readSession(c.var.deps, callerOf(c), sessionIdOf(c));
    const { session, token } = answer.result;
    return envelope(c, answer, sessionJson(session, answer.snapshot?.users.get(session.user_id) ?? null, token));
  });

  // The signed-in user.
  app.get('/me', async (c) => {
    const answer = await readMe(c.var.deps, callerOf(c), actingSessionId(c));
    return envelope(c, answer, userJson(answer.result));
  });
  app.post('/me/passkeys', async (c) => {
    const params = parseParams(passkeyCreate, await readParams(c));
    const answer = await startPasskeyRegistration(c.var.deps, callerOf(c), actingSessionId(c), { conditional: params.mediation === 'conditional' });
    return envelope(c, answer, pendingPasskeyJson(answer.result));
  });
  app.post('/me/passkeys/:id/attempt_verification', async (c) => {
    const params = parseParams(attempt, await readParams(c));
    const answer = await finishPasskeyRegistration(c.var.deps, callerOf(c), actingSessionId(c), passkeyIdOf(c), params);
    return envelope(c, answer, passkeyJson(answer.result));
  });
  overridable(app, '/me/passkeys/:id', {
    PATCH: async (c) => {
      const params = parseParams(rename, await readParams(c));
      const answer = await renamePasskey(c.var.deps, callerOf(c), actingSessionId(c), passkeyIdOf(c), params.name);
      return envelope(c, answer, passkeyJson(answer.result));
    },
    DELETE: async (c) => {
      const answer = await deletePasskey(c.var.deps, callerOf(c), actingSessionId(c), passkeyIdOf(c));
      return envelope(c, answer, deletedPasskeyJson(answer.result.id));
    },
  });
  meRoutes(app, overridable);
  return app;
}
