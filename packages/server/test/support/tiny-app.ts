/**
 * A bare Hono app for middleware tests: the middleware under test, a handler that answers
 * `reached`, and the same error shape as the real app (LatchkeyError → status + error body).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { Deps } from '../../src/deps.js';
import { LatchkeyError, toErrorBody } from '../../src/errors/index.js';

export function tinyApp(...middleware: MiddlewareHandler[]): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    if (!(err instanceof LatchkeyError)) throw err;
    return c.json(toErrorBody(err, 'test'), err.status as 400);
  });
  for (const m of middleware) app.use(m);
  app.all('*', (c) => c.text('reached'));
  return app;
}

/** The first error of an error answer. */
export async function errorOf(res: Response): Promise<{ code: string; long_message: string; meta: Record<string, unknown> }> {
  const body = (await res.json()) as { errors: { code: string; long_message: string; meta: Record<string, unknown> }[] };
  return body.errors[0]!;
}

/** Puts `deps` on the context, as createApp does, for middleware that read the instance's defaults. */
export function withDeps(deps: Deps): MiddlewareHandler {
  return async function withDeps(c, next) {
    c.set('deps', deps);
    await next();
  };
}
