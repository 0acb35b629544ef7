/**
 * Serving a Hono app from Node: listening, and the static files of an embedded web app.
 */
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';

/**
 * Serves the built web app in `root` at `base` (default `/`). Mount it after every API route:
 * unknown paths under `base` that no route answered get index.html (a single-page app routes them
 * itself). Paths for which `skip` holds (the API's) are never the app's: they go on to the
 * not-found answer. `pages` are exact paths outside `base` that answer the same index.html (the
 * account portal's `/sign-in` on a server with no app of its own); the app's assets stay under
 * `base`, so its build must refer to them there (Vite's `base`).
 */
export function mountStatic(app: Hono<any>, root: string, o: { skip?: (path: string) => boolean; base?: string; pages?: readonly string[] } = {}): void {
  const base = (o.base ?? '').replace(/\/$/, '');
  const files = serveStatic({ root, rewriteRequestPath: (p) => p.slice(base.length) || '/' });
  const page = serveStatic({ root, rewriteRequestPath: () => '/index.html' });
  const skip = o.skip ?? (() => false);
  app.use(`${base}/*`, (c, next) => (skip(c.req.path) ? next() : files(c, next)));
  app.get(`${base}/*`, (c, next) => (skip(c.req.path) ? next() : page(c, next)));
  if (base) app.get(base, (c, next) => (skip(c.req.path) ? next() : page(c, next)));
  for (const path of o.pages ?? []) app.get(path, (c, next) => page(c, next));
}

export interface Listening {
  /** The port actually bound (the OS picks one for port 0). */
  port: number;
  close(): Promise<void>;
}

export async function listen(app: Hono<any>, o: { host: string; port: number }): Promise<Listening> {
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: o.host, port: o.port }, () => resolve(s));
    s.once('error', reject); // port taken, host not ours: emitted instead of the listen callback
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : o.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
