/**
 * Builds e2e/sdk-pages with Vite into a temporary directory, once per test run — clerk.html
 * (Clerk's SDKs from npm, bundled) and latchkey.html (the guide's components on @latchkey/react,
 * Core 3 style) — and serves them from a real Latchkey: pages and frontend API share one origin,
 * as an app using `proxyUrl: '<origin>/__clerk'` would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clerkSdkKey, loadConfig, startServer, type RunningServer } from '@latchkey/server';
import { build } from 'vite';

const PAGE_ROOT = fileURLToPath(new URL('../sdk-pages', import.meta.url));

export async function buildClerkPage(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'latchkey-sdk-pages-'));
  await build({
    configFile: false,
    root: PAGE_ROOT,
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic' } },
    build: {
      outDir: dir,
      emptyOutDir: true,
      minify: false,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 100_000,
      rollupOptions: { input: { clerk: path.join(PAGE_ROOT, 'clerk.html'), latchkey: path.join(PAGE_ROOT, 'latchkey.html') } },
    },
  });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A real port up front: the token issuer (the public URL) names it. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface ClerkTestServer {
  server: RunningServer;
  origin: string;
  /** The Clerk page with Clerk's key and `?sdk=`; the key is the one the banner prints for Clerk. */
  pageUrl(sdk: 'clerk-js' | 'react'): string;
  /** The @latchkey/react page. */
  latchkeyUrl(query?: Record<string, string>): string;
  close(): Promise<void>;
}

export async function serveClerkPage(dir: string, env: Record<string, string> = {}): Promise<ClerkTestServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'latchkey-clerk-e2e-'));
  const port = await freePort();
  const config = loadConfig({ HOST: '127.0.0.1', PORT: String(port), LATCHKEY_DATA_DIR: dataDir, LATCHKEY_RATE_LIMIT: 'off', LATCHKEY_STATIC_DIR: dir, ...env });
  const server = await startServer(config, { log: () => {} });
  const origin = `http://localhost:${port}`;
  const { publishableKey } = clerkSdkKey(config);
  return {
    server,
    origin,
    pageUrl: (sdk) => `${origin}/clerk.html?sdk=${sdk}&pk=${encodeURIComponent(publishableKey)}`,
    latchkeyUrl: (query = {}) => `${origin}/latchkey.html?${new URLSearchParams(query).toString()}`,
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
