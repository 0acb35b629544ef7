// Type-checks and bundles one of the browser apps (demo, portal, dashboard) with tsc + Vite, only
// when something it is built from is newer than its last bundle: its sources, its configuration,
// or the built packages it bundles. A second `npm start` then spends no time here. Each app's
// `scripts/build-app.mjs` calls this; `--check` only says whether a build is needed (exit 1) or
// not (exit 0).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

// `../shared`: modules the apps share (apps/shared).
const OWN_INPUTS = ['src', '../shared', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package.json'];
const PACKAGES = ['../../packages/types/dist', '../../packages/js/dist', '../../packages/react/dist'];

function newest(p) {
  let s;
  try {
    s = statSync(p);
  } catch {
    return Infinity; // a missing input (e.g. an unbuilt package): build, and let the build say why
  }
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((name) => newest(path.join(p, name))));
}

/**
 * @param {{ app: string, name: string, bundle: string, bundlesPackages?: boolean }} o
 *   `app`: the app's folder; `name`: how messages call it; `bundle`: its built index.html
 *   (relative to `app`); `bundlesPackages`: whether it bundles @latchkey/js and @latchkey/react.
 */
export function buildWebApp(o) {
  const inputs = o.bundlesPackages === false ? OWN_INPUTS : [...OWN_INPUTS, ...PACKAGES];
  let built = -Infinity;
  try {
    built = statSync(path.join(o.app, o.bundle)).mtimeMs;
  } catch {}
  const changed = inputs.some((i) => newest(path.join(o.app, i)) > built);
  const Name = o.name[0].toUpperCase() + o.name.slice(1);
  if (process.argv.includes('--check')) {
    console.log(changed ? `${Name} needs a build.` : `${Name} is up to date.`);
    process.exit(changed ? 1 : 0);
  }
  if (!changed) {
    console.log(`${Name} unchanged since its last build; skipping tsc and Vite.`);
    return;
  }
  const bin = (name) => path.join(o.app, '../../node_modules/.bin', name);
  execFileSync(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: o.app, stdio: 'inherit' });
  execFileSync(bin('vite'), ['build'], { cwd: o.app, stdio: 'inherit' });
}
