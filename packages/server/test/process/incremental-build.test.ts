import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * `npm test` builds first, so here everything is built and nothing has changed since: a second
 * `npm run build` (what `npm start` runs) must find nothing to do. Checked by what the tools say,
 * not by how long they take.
 */
describe('a second build', () => {
  it('skips every TypeScript project (tsc -b) and the demo and portal bundles (Vite)', async () => {
    const { stdout } = await run('npx', ['tsc', '-b', 'tsconfig.build.json', '--dry', '--verbose'], { cwd: REPO });
    const projects = ['packages/types', 'packages/js', 'packages/react', 'packages/backend', 'packages/server', 'apps/demo'];
    for (const p of projects) expect(stdout).toMatch(new RegExp(`Project '${p}/tsconfig\\.[a-z.]+json' is up to date`));
    expect(stdout).not.toMatch(/would build project/i);

    const app = await run(process.execPath, ['apps/demo/scripts/build-app.mjs', '--check'], { cwd: REPO });
    expect(app.stdout).toMatch(/The demo app is up to date/);
    const portal = await run(process.execPath, ['apps/portal/scripts/build-app.mjs', '--check'], { cwd: REPO });
    expect(portal.stdout).toMatch(/The portal is up to date/);
  });
});
