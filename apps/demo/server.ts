/**
 * Serves the demo from one process: Latchkey's frontend API, the built React app, and the app's
 * own API route `/api/me`. That route checks the session token the way any app server would —
 * `@latchkey/backend` against the instance's JWKS, without touching Latchkey's database — so it
 * shows what a backend of yours does with the `Authorization: Bearer` header the SDK's
 * `getToken()` fills.
 *
 * `npm start` at the repository root builds everything and runs this file.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { authenticateRequest, createTokenVerifier } from '@latchkey/backend';
import { exitOnStartupError, loadConfig, serveUntilSignalled, startServer, type Config, type RunningServer, type StartOptions } from '@latchkey/server';

/** The Vite build of the app (apps/demo/dist), next to this file's own build directory. */
export const DEMO_STATIC_DIR = fileURLToPath(new URL('../dist', import.meta.url));

/** The app's API: `GET /api/me` answers who the session token belongs to, or 401. */
export function demoRoutes(config: Config): NonNullable<StartOptions['routes']> {
  const verify = createTokenVerifier({ jwksUrl: `${config.publicUrl}/.well-known/jwks.json`, issuer: config.publicUrl });
  return (app) => {
    app.get('/api/me', async (c) => {
      const auth = await authenticateRequest(c.req.raw, verify);
      if (!auth.signedIn) return c.json({ signedIn: false, reason: auth.reason }, 401);
      return c.json({ signedIn: true, userId: auth.claims.sub, sessionId: auth.claims.sid });
    });
  };
}

/** Starts Latchkey with the demo mounted; configuration comes from `env` like `latchkey start`. */
export async function startDemoServer(env: Record<string, string | undefined> = process.env): Promise<RunningServer> {
  const config = loadConfig({ ...env, LATCHKEY_STATIC_DIR: DEMO_STATIC_DIR });
  return startServer(config, { routes: demoRoutes(config) });
}


/** True when node runs this file (`npm start`), false when it is imported (the e2e tests). */
function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  startDemoServer().then(serveUntilSignalled, exitOnStartupError);
}
