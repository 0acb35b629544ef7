/**
 * The HTTP application: the frontend API under `/v1` (and `/__clerk/v1`, where Clerk's SDK sends
 * requests when given a proxy URL), the well-known documents, and optionally a static web app.
 * Web-standard Request/Response only: what the serving runtime must provide (the body, the peer
 * address) comes in as a `RuntimeAdapter`; Node's is in adapters/node/.
 */
import { Hono, type Handler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Deps } from './deps.js';
import { policyFor } from './domains/index.js';
import { LatchkeyError, toErrorBody } from './errors/index.js';
import type { FapiEnv } from './fapi/context.js';
import { frontendApi } from './fapi/routes.js';
import { isApiPath, unknownApiPath } from './fapi/unknown-path.js';
import { fetchRuntime, type RuntimeAdapter } from './http/runtime.js';
import { bodyLimit } from './middleware/body-limit/index.js';
import { randomHex } from './util/random.js';

export { MAX_BODY_BYTES } from './middleware/body-limit/index.js';

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

  app.onError((err, c) => {
    let e: LatchkeyError;
    if (err instanceof LatchkeyError) e = err;
    else if (err instanceof HTTPException && err.status < 500) e = new LatchkeyError('request_body_invalid', { why: err.message || 'Bad request.' });
    else {
      // Unexpected: log it with the trace id, answer without internals.
      deps.log('error', 'unhandled error', { trace_id: c.var.traceId, error: err instanceof Error ? err.stack : String(err) });
      e = new LatchkeyError('internal_error', { why: `An internal error occurred; trace id ${c.var.traceId}.` });
    }
    const headers: Record<string, string> = {};
    if (e.meta.retry_after) headers['Retry-After'] = String(e.meta.retry_after);
    return c.json(toErrorBody(e, c.var.traceId ?? ''), e.status as 400, headers);
  });
  app.notFound((c) => {
    const e = isApiPath(c.req.path) ? unknownApiPath(c.req.method, c.req.path) : new LatchkeyError('not_found', { why: `No route for ${c.req.method} ${c.req.path}.` });
    return c.json(toErrorBody(e, c.var.traceId ?? ''), 404);
  });

  const fapi = frontendApi();
  app.route('/v1', fapi);
  app.route('/__clerk/v1', fapi);

  const jwks: Handler<FapiEnv> = async (c) => {
    c.header('Cache-Control', 'public, max-age=60');
    return c.json(await deps.keys.publicJwks());
  };
  app.get('/.well-known/jwks.json', jwks);
  // Clerk's backend path, where `@clerk/backend`'s verifyToken({ apiUrl, secretKey }) looks. The
  // keys are public, so no secret key is required (it is ignored until the backend API has them).
  app.get('/v1/jwks', jwks);
  // WebAuthn L3 related origins: lets listed origins of other sites use our RP ID.
  app.get('/.well-known/webauthn', async (c) => {
    const policy = policyFor(await deps.settings.get(), deps.config.mode);
    if (policy.relatedOrigins.length === 0) throw new LatchkeyError('not_found', { why: 'No related origins are configured.' });
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ origins: policy.relatedOrigins });
  });
  app.get('/healthz', (c) => c.json({ ok: true }));
  return app;
}
