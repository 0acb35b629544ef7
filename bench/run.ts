/**
 * `npm run bench`: every benchmark in turn, each in its own process, printing its tables.
 * Benchmarks measure; they never fail on a number. The exit code is non-zero only when a
 * benchmark could not run at all.
 *
 *   npm run bench                       all of them (about 15 minutes on 2 cores)
 *   npm run bench -- --quick            shorter windows and smaller sizes (about 5 minutes)
 *   npm run bench -- signin primitives  only the named ones
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './lib/processes.js';

const ALL = ['primitives', 'verify-token', 'signin', 'scale'];
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('--'));
const passThrough = args.filter((a) => a.startsWith('--'));
const chosen = names.length ? names : ALL;
const unknown = chosen.filter((n) => !ALL.includes(n));
if (unknown.length) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Choose from: ${ALL.join(', ')}.`);
  process.exit(2);
}

const failed: string[] = [];
for (const name of chosen) {
  console.log(`\n# bench/${name}\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', name, 'run.ts'), ...passThrough], { cwd: ROOT, stdio: 'inherit' });
  console.log(`\n(bench/${name}: ${Math.round((Date.now() - started) / 1000)} s${r.status === 0 ? '' : `, exit ${r.status ?? r.signal}`})`);
  if (r.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`\nCould not run: ${failed.join(', ')}`);
  process.exit(1);
}
