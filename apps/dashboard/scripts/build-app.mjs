// Type-checks and bundles the dashboard (tsc + Vite) into packages/server/dashboard, only when
// something it is built from is newer than the last bundle. `--check` only says whether a build
// is needed (exit 1) or not (exit 0).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const app = fileURLToPath(new URL('..', import.meta.url));
const inputs = ['src', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package.json'];
const bundle = path.join(app, '../../packages/server/dashboard/index.html');

function newest(p) {
  let s;
  try {
    s = statSync(p);
  } catch {
    return Infinity;
  }
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((name) => newest(path.join(p, name))));
}

let built = -Infinity;
try {
  built = statSync(bundle).mtimeMs;
} catch {}
const changed = inputs.some((i) => newest(path.join(app, i)) > built);

if (process.argv.includes('--check')) {
  console.log(changed ? 'The dashboard needs a build.' : 'The dashboard is up to date.');
  process.exit(changed ? 1 : 0);
}
if (!changed) {
  console.log('Dashboard unchanged since its last build; skipping tsc and Vite.');
} else {
  const bin = (name) => path.join(app, '../../node_modules/.bin', name);
  execFileSync(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: app, stdio: 'inherit' });
  execFileSync(bin('vite'), ['build'], { cwd: app, stdio: 'inherit' });
}
