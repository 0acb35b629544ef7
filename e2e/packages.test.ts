/**
 * The packages as a user gets them: `npm pack` each publishable package, install the tarballs into
 * a fresh app in a temporary directory outside the repository (the rest from the npm registry),
 * type-check and build it, run `npx latchkey start` from the installed server package, and sign
 * up and in through the app's page in Chromium, with the app's Express API checking the session
 * token with the installed @latchkey/backend.
 *
 * Slow by nature (npm install compiles better-sqlite3): its time limits are far above it.
 */
import { cp, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VirtualAuthenticators } from './support/authenticator.js';
import { browserForTest, closeBrowserForTest, type BrowserSession } from './support/browser.js';
import { freePort } from './support/demo-server.js';
import { type Logged, run, startLogged } from './support/spawned.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['@latchkey/types', '@latchkey/js', '@latchkey/react', '@latchkey/backend', '@latchkey/server'];
const MINUTES = 60_000;


/** The versions the repository itself uses, so `--prefer-offline` finds them in the npm cache. */
async function registryVersions(): Promise<Record<string, string>> {
  const root = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8'));
  const demo = JSON.parse(await readFile(path.join(REPO, 'apps/demo/package.json'), 'utf8'));
  const pick = (name: string) => root.devDependencies[name] ?? demo.dependencies[name];
  return {
    react: pick('react'),
    'react-dom': pick('react-dom'),
    vite: pick('vite'),
    typescript: pick('typescript'),
    '@types/react': pick('@types/react'),
    '@types/react-dom': pick('@types/react-dom'),
    express: '^5.1.0',
  };
}

let work: string;
let app: string;
let latchkey: Logged | undefined;
let appServer: Logged | undefined;
let appOrigin: string;
let b: BrowserSession;

/** Only what a developer's shell has; no DATABASE_URL or LATCHKEY_* of the machine leaks in. */
const shellEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  // Without the repository's node_modules/.bin that `npm test` puts first: the app uses its own.
  PATH: (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.startsWith(REPO))
    .join(path.delimiter),
  HOME: process.env.HOME,
  ...(process.env.npm_config_cache && { npm_config_cache: process.env.npm_config_cache }),
  ...extra,
});

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'latchkey-packed-'));
  const packDir = path.join(work, 'tarballs');
  await mkdir(packDir);
  const packed = JSON.parse(
    await run('npm', ['pack', '--json', '--pack-destination', packDir, ...PACKAGES.flatMap((p) => ['-w', p])], { cwd: REPO, env: shellEnv() }),
  ) as { name: string; filename: string }[];

  app = path.join(work, 'app');
  await cp(path.join(REPO, 'e2e/packed-app'), app, { recursive: true });
  const dependencies: Record<string, string> = { ...(await registryVersions()) };
  for (const p of packed) dependencies[p.name] = `file:${path.join(packDir, p.filename)}`;
  await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'packed-app', private: true, type: 'module', dependencies }, null, 2));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, env: shellEnv() });

  const latchkeyPort = await freePort();
  const latchkeyUrl = `http://localhost:${latchkeyPort}`;
  await run('npx', ['tsc', '-p', '.'], { cwd: app, env: shellEnv() }); // the packages' types, as installed
  await run('npx', ['vite', 'build'], { cwd: app, env: shellEnv({ LATCHKEY_URL: latchkeyUrl }) });

  latchkey = await startLogged('npx', ['latchkey', 'start'], {
    cwd: app,
    env: shellEnv({ PORT: String(latchkeyPort), LATCHKEY_RATE_LIMIT: 'off' }),
    ready: /Latchkey is running at/,
  });
  const appPort = await freePort();
  appServer = await startLogged('node', ['server.mjs'], { cwd: app, env: shellEnv({ PORT: String(appPort), LATCHKEY_URL: latchkeyUrl }), ready: /App listening/ });
  appOrigin = `http://localhost:${appPort}`;
}, 30 * MINUTES);

afterAll(async () => {
  await appServer?.stop();
  await latchkey?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});
beforeEach(async (ctx) => {
  b = await browserForTest(ctx);
});
afterEach(() => closeBrowserForTest(b));

describe('the packed packages, installed in an app outside the repository', () => {
  it('are real copies with their licence and readme, not links into the workspace', async () => {
    for (const name of PACKAGES) {
      const dir = path.join(app, 'node_modules', name);
      expect(await realpath(dir)).toBe(dir);
      expect(path.relative(REPO, dir).startsWith('..')).toBe(true);
      const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
      expect(pkg.private).toBeUndefined();
      expect(pkg.license).toBe('MIT');
      expect(pkg.exports['.'].types).toMatch(/\.d\.ts$/);
      await readFile(path.join(dir, 'LICENSE'));
      await readFile(path.join(dir, 'README.md'));
    }
    expect(latchkey!.output()).toMatch(/Publishable key \(for the browser SDK\): pk_test_/);
  });

  it('sign up, call the app API with the session token, sign out, sign in again', async () => {
    const authenticators = await VirtualAuthenticators.attach(b.context, b.page);
    await authenticators.add();
    const page = b.page;
    await page.goto(appOrigin);
    await page.getByLabel('Username').fill('packed_user');
    await page.getByRole('button', { name: 'Sign up with a passkey' }).click();
    await page.getByText('Signed in as packed_user').waitFor();

    await page.getByRole('button', { name: 'Call the API' }).click();
    expect(await page.getByTestId('api').textContent()).toMatch(/^200 \{"userId":"user_/); // waits for the element

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('signed-out').waitFor();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByText('Signed in as packed_user').waitFor();
  });
});
