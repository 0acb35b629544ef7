/**
 * The HTTP application: the frontend API under `/v1` (and `/__clerk/v1`, where Clerk's SDK sends
 * requests when given a proxy URL), the backend API under the same `/v1` (bapi/), the OpenAPI
 * document, the well-known documents, and optionally a static web app.
 * Web-standard Request/Response only: what the serving runtime must provide (the body, the peer
 * address) comes in as a `RuntimeAdapter`; Node's is in adapters/node/.
 */
import { Hono, type Handler } from 'hono';
import { devMailbox } from './dev/mailbox.js';
import type { Deps } from './deps.js';
import { policyFor } from './domains/index.js';
import { backendApi, backendSegments } from './bapi/app.js';
import { dashboardApi } from './dashboard/api.js';
import { LatchkeyError } from './errors/index.js';
import { errorResponse, notFoundResponse } from './http/on-error.js';
import { openApiDocument } from './openapi/document.js';
import { PORTAL_BASE, portalApi } from './portal/routes.js';
import type { FapiEnv } from './fapi/context.js';
import { frontendApi } from './fapi/routes.js';
import { fetchRuntime, type RuntimeAdapter } from './http/runtime.js';
import { bodyLimit } from './middleware/body-limit/index.js';
import { randomHex } from './util/random.js';

export { MAX_BODY_BYTES } from './middleware/body-limit/index.js';

/** The first path segments of an API's routes (`client`, `me`, …). */
function segmentsOf(api: Hono<any>): Set<string> {
  return new Set(api.routes.map((r) => r.path.split('/')[1]!).filter((s) => s && s !== '*'));
}

/** `runtime` defaults to Fetch only (`app.request()` in tests); `startServer` passes Node's. */
export function createApp(deps: Deps, runtime: RuntimeAdapter = fetchRuntime): Hono<FapiEnv> {
  const app = new Hono<FapiEnv>();

  app.use(async function context(c, next) {
    c.set('deps', deps);
    c.set('traceId', randomHex(8));
    c.set('runtime', runtime);
    await next();
  });
  app.use(bodyLimit());

  app.onError((err, c) => errorResponse(err, c, deps));
  app.notFound(notFoundResponse);

  app.get('/v1/openapi.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(openApiDocument(deps.config.publicUrl));
  });
  const fapi = frontendApi();
  const backend = backendApi(deps, segmentsOf(fapi), runtime);
  // One `/v1` for both APIs. A secret key or a backend path goes to the backend API, which
  // refuses a request without a valid key (a browser's cookie, a publishable key) with 401, and a
  // secret key on a frontend path with `secret_key_not_allowed`. The check is a header read and a
  // set lookup, so the frontend API's hot path pays nothing measurable.
  app.use('/v1/*', async function dispatch(c, next) {
    if (c.req.header('authorization')?.startsWith('Bearer sk_') || backendSegments.has(c.req.path.split('/')[2] ?? '')) {
      return backend.fetch(c.req.raw, c.env);
    }
    await next();
  });
  // The dashboard's API (its pages are static files, mounted by startServer).
  app.route('/', dashboardApi(deps, runtime));
  app.route('/v1', fapi);
  app.route('/__clerk/v1', fapi);

  const jwks: Handler<FapiEnv> = async (c) => {
    c.header('Cache-Control', 'public, max-age=60');
    return c.json(await deps.keys.publicJwks());
  };
  app.get('/.well-known/jwks.json', jwks);
  // Clerk's backend path `/v1/jwks` (where `@clerk/backend`'s verifyToken({ apiUrl, secretKey })
  // looks) is a backend-API route: bapi/routes/instance.ts.
  // WebAuthn L3 related origins: lets listed origins of other sites use our RP ID.
  app.get('/.well-known/webauthn', async (c) => {
    const policy = policyFor(await deps.settings.get(), deps.config.mode);
    if (policy.relatedOrigins.length === 0) throw new LatchkeyError('not_found', { why: 'No related origins are configured.' });
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ origins: policy.relatedOrigins });
  });
  app.get('/healthz', (c) => c.json({ ok: true }));
  // The account portal's redirect check; its pages are static files (server.ts mountWebApps).
  app.route(`${PORTAL_BASE}/api`, portalApi());
  // Development without SMTP only: deps.email.mailbox is null in production.
  if (deps.email.mailbox) app.route('/', devMailbox(deps.email.mailbox));
  return app;
}
