/**
 * The backend API (server-to-server): JSON in and out, authenticated by a secret key, routes from
 * the tables in routes/. It shares `/v1` with the frontend API; app.ts sends it the requests that
 * carry a secret key or name one of its paths (see `backendPaths`).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { Deps } from '../deps.js';
import { fail } from '../errors/index.js';
import { errorResponse, notFoundResponse } from '../http/on-error.js';
import { fetchRuntime, type RuntimeAdapter } from '../http/runtime.js';
import { secretKey } from '../middleware/secret-key/index.js';
import { randomHex } from '../util/random.js';
import { type BapiEnv, type BapiRoute, parseInput } from './route.js';
import { instanceRoutes } from './routes/instance.js';
import { sessionRoutes } from './routes/sessions.js';
import { userRoutes } from './routes/users.js';
import { webhookRoutes } from './webhooks.js';

// The webhook routes (bapi/webhooks.ts) use the same table shape with a narrower context type.
export const backendRoutes: BapiRoute[] = [...userRoutes, ...sessionRoutes, ...instanceRoutes, ...(webhookRoutes as unknown as BapiRoute[])];

/** The first path segments under `/v1` that belong to the backend API (`users`, `sessions`, …). */
export const backendSegments: ReadonlySet<string> = new Set(backendRoutes.map((r) => r.path.split('/')[1]!));

export interface BackendApiOptions {
  /** Where the routes live: `/v1` for app servers, `/dashboard/api/v1` for the dashboard. */
  basePath?: string;
  /**
   * Who may call, setting `actor` and `audit`: a secret key by default; the dashboard passes its
   * administrator-session check, so the same handlers serve it with the administrator as actor.
   */
  authenticate?: MiddlewareHandler<BapiEnv>;
}

/**
 * `frontendSegments`: the frontend API's first path segments, refused here with a clear code.
 * `runtime`: the serving runtime's adapter (body, peer address), as the outer app has it.
 */
export function backendApi(deps: Deps, frontendSegments: ReadonlySet<string>, runtime: RuntimeAdapter = fetchRuntime, o: BackendApiOptions = {}): Hono<BapiEnv> {
  const app = new Hono<BapiEnv>().basePath(o.basePath ?? '/v1');
  app.use(async function context(c, next) {
    c.set('deps', deps);
    c.set('traceId', randomHex(8));
    c.set('runtime', runtime);
    await next();
  });
  app.onError((err, c) => errorResponse(err, c, deps));
  app.notFound((c) => {
    // A secret key sent to a frontend API route: say that it is the wrong API, not "not found".
    if (frontendSegments.has(c.req.path.split('/')[2] ?? '')) {
      return errorResponse(fail('secret_key_not_allowed', { why: `${c.req.method} ${c.req.path} is a frontend API route; browsers call it with their cookie, never with a secret key.` }), c, deps);
    }
    return notFoundResponse(c);
  });
  app.use(o.authenticate ?? (secretKey() as unknown as MiddlewareHandler<BapiEnv>));
  for (const r of backendRoutes) {
    app.on(r.method.toUpperCase(), r.path, async (c) => {
      const answer = await r.handler(c, (await parseInput(c, r)) as never);
      // A change may have written webhook events: deliver them now rather than at the next poll.
      if (r.method !== 'get') deps.dispatcher.kick();
      return c.json(answer as object);
    });
  }
  return app;
}
