/**
 * The demo server (apps/demo, built) in this process, on a fresh SQLite database, so tests can
 * reach into `server.deps` (settings, store) while the browser drives the pages.
 */
import { access, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_STATIC_DIR, startDemoServer } from '@latchkey/demo';
import type { RunningServer } from '@latchkey/server';

export interface DemoServer {
  server: RunningServer;
  port: number;
  /** `http://<host>:<port>`; `*.localhost` hosts are loopback and secure contexts in Chromium. */
  origin(host?: string): string;
  close(): Promise<void>;
}

/**
 * A port to pass as PORT. Not 0: the public URL (the token issuer, and where /api/me fetches
 * the JWKS) defaults to http://localhost:$PORT, so it must be the real port.
 */
/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function startDemo(env: Record<string, string> = {}): Promise<DemoServer> {
  await access(path.join(DEMO_STATIC_DIR, 'index.html')).catch(() => {
    throw new Error(`The demo app is not built (no ${DEMO_STATIC_DIR}/index.html): run \`npm run build\` first.`);
  });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'latchkey-e2e-'));
  const port = await freePort();
  // Only what the test sets: the developer's own DATABASE_URL or LATCHKEY_* must not leak in.
  const server = await startDemoServer({
    HOST: '127.0.0.1',
    PORT: String(port),
    LATCHKEY_DATA_DIR: dataDir,
    LATCHKEY_RATE_LIMIT: 'off',
    ...env,
  });
  return {
    server,
    port,
    origin: (host = 'localhost') => `http://${host}:${port}`,
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
