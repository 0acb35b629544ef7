/**
 * The dashboard's API, under `/dashboard/api`, answering only the dashboard's own pages
 * (same-origin check on every request, SameSite=Strict cookie):
 *
 * - administrator sign-in: setup/invitation links, passkey registration and sign-in, sign-out;
 * - `/dashboard/api/v1/…`: the backend API's own route handlers (users, sessions, settings, audit
 *   log, webhooks), authenticated by the administrator's session instead of a secret key, so
 *   every change is audited with the administrator as actor;
 * - what the backend API does not have: the overview, the domain checker, secret keys, invites.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import {
  countAdministrators,
  createLink,
  dashboardOrigin,
  finishRegistration,
  finishSignIn,
  linkIsLive,
  signOut,
  startRegistration,
  startSignIn,
} from '../admin/administrators.js';
import { readOverview, userSessionsWithDevices } from '../admin/overview.js';
import { sessionJson } from '../bapi/present.js';
import { backendApi } from '../bapi/app.js';
import type { BapiEnv } from '../bapi/route.js';
import type { Deps } from '../deps.js';
import { checkOrigin } from '../domains/check.js';
import { policyFor, resolveRpId } from '../domains/index.js';
import { fail } from '../errors/index.js';
import { credentialParam, parseParams, readParams, str } from '../fapi/params.js';
import { errorResponse } from '../http/on-error.js';
import { fetchRuntime, type RuntimeAdapter } from '../http/runtime.js';
import { adminSession, type AdminSessionEnv, clearAdminCookie, requestContext, setAdminCookie } from '../middleware/admin-session/index.js';
import { noStore } from '../middleware/no-store/index.js';
import { rateLimit } from '../middleware/rate-limit/index.js';
import { sameOrigin } from '../middleware/same-origin/index.js';
import { randomHex } from '../util/random.js';

export const DASHBOARD_API = '/dashboard/api';

const token = z.string().min(16).max(128).regex(/^[A-Za-z0-9_-]+$/);
const adminName = str(64).pipe(z.string().trim().min(1, 'Enter your name.'));

const setupStart = z.object({ token, name: adminName });
const setupFinish = z.object({ token, name: adminName, ceremony_id: str(64), public_key_credential: credentialParam });
const signInFinish = z.object({ ceremony_id: str(64), public_key_credential: credentialParam });
const checkBody = z.object({ origin: str(512) });
const keyBody = z.object({ name: str(64) });

const adminJson = (a: { id: string; name: string }) => ({ object: 'administrator', id: a.id, name: a.name });

export function dashboardApi(deps: Deps, runtime: RuntimeAdapter = fetchRuntime): Hono<AdminSessionEnv> {
  const origin = dashboardOrigin(deps.config.publicUrl);
  const api = new Hono<AdminSessionEnv>().basePath(DASHBOARD_API);
  api.use(async function context(c, next) {
    c.set('deps', deps);
    (c as unknown as { set(k: string, v: unknown): void }).set('traceId', randomHex(8));
    (c as unknown as { set(k: string, v: unknown): void }).set('runtime', runtime);
    await next();
  });
  api.onError((err, c) => errorResponse(err, c, deps));
  api.use(noStore());
  api.use(sameOrigin(origin));

  // Signed out: links, ceremonies (per-IP rate limit on their POSTs, as the frontend API's sign-in).
  api.use('/setup/*', rateLimit('dashboard_sign_in'));
  api.use('/sign_in/*', rateLimit('dashboard_sign_in'));
  api.get('/setup', async (c) => {
    const t = c.req.query('token');
    const valid = t !== undefined && token.safeParse(t).success && (await linkIsLive(deps, t));
    return c.json({ object: 'setup_link', valid, administrators_exist: (await countAdministrators(deps)) > 0 });
  });
  api.post('/setup/options', async (c) => {
    const body = parseParams(setupStart, await readParams(c));
    const { ceremonyId, options } = await startRegistration(deps, body);
    return c.json({ ceremony_id: ceremonyId, options });
  });
  api.post('/setup/verify', async (c) => {
    const body = parseParams(setupFinish, await readParams(c));
    const { admin, sessionToken } = await finishRegistration(deps, {
      token: body.token,
      name: body.name,
      ceremonyId: body.ceremony_id,
      credential: body.public_key_credential,
      ctx: requestContext(c, deps),
    });
    setAdminCookie(c, deps.config.publicUrl, sessionToken);
    return c.json(adminJson(admin));
  });
  api.post('/sign_in/options', async (c) => {
    const { ceremonyId, options } = await startSignIn(deps);
    return c.json({ ceremony_id: ceremonyId, options });
  });
  api.post('/sign_in/verify', async (c) => {
    const body = parseParams(signInFinish, await readParams(c));
    const { admin, sessionToken } = await finishSignIn(deps, { ceremonyId: body.ceremony_id, credential: body.public_key_credential, ctx: requestContext(c, deps) });
    setAdminCookie(c, deps.config.publicUrl, sessionToken);
    return c.json(adminJson(admin));
  });

  // The backend API itself, as the administrator: its route handlers, its onError and not-found
  // answers, with the administrator's session in place of a secret key.
  const backend = backendApi(deps, new Set(), runtime, {
    basePath: `${DASHBOARD_API}/v1`,
    authenticate: adminSession() as unknown as MiddlewareHandler<BapiEnv>,
  });
  api.all('/v1/*', (c) => backend.fetch(c.req.raw, c.env));

  // Signed in from here on.
  api.use(adminSession());
  api.get('/me', (c) => c.json(adminJson(c.var.admin)));
  api.post('/sign_out', async (c) => {
    await signOut(deps, c.var.admin, c.var.audit);
    clearAdminCookie(c, deps.config.publicUrl);
    return c.json({ object: 'administrator_session', id: c.var.admin.sessionId, ended: true });
  });
  api.post('/invites', async (c) => {
    const link = await createLink(deps, 'invite', c.var.audit);
    return c.json({ object: 'administrator_invite', url: link.url, expire_at: link.expireAt });
  });
  api.get('/overview', async (c) => c.json(await readOverview(deps)));
  api.get('/users/:user_id/sessions', async (c) => {
    const rows = await userSessionsWithDevices(deps, c.req.param('user_id'));
    return c.json({ data: rows.map((s) => ({ ...sessionJson(s), device: s.device, ip: s.ip })) });
  });
  api.get('/domains', async (c) => {
    const settings = await deps.settings.get();
    const policy = policyFor(settings, deps.config.mode);
    return c.json({
      domain: settings.domain,
      rp_id: resolveRpId(settings),
      rp_id_explicit: settings.rpId !== null,
      allow_subdomains: settings.allowSubdomains,
      allowed_origins: settings.allowedOrigins,
      related_origins: policy.relatedOrigins,
      mode: deps.config.mode,
      well_known_url: `${deps.config.publicUrl}/.well-known/webauthn`,
    });
  });
  api.post('/domains/check', async (c) => {
    const body = parseParams(checkBody, await readParams(c));
    return c.json(checkOrigin(await deps.settings.get(), deps.config.mode, body.origin));
  });
  api.get('/secret_keys', async (c) => c.json({ data: await deps.secretKeys.list() }));
  api.post('/secret_keys', async (c) => {
    const body = parseParams(keyBody, await readParams(c));
    const { key, info } = await deps.secretKeys.create(body.name, c.var.audit);
    return c.json({ ...info, key });
  });
  api.post('/secret_keys/:id/revoke', async (c) => {
    const id = c.req.param('id');
    if (!(await deps.secretKeys.revoke(id, c.var.audit))) throw fail('resource_not_found', { subject: 'Secret key' });
    return c.json({ object: 'secret_key', id, revoked: true });
  });

  api.all('*', (c) => errorResponse(fail('resource_not_found', { why: `The dashboard API has no route for ${c.req.method} ${c.req.path}.` }), c, deps));
  return api;
}
