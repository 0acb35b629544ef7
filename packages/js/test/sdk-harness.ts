/**
 * A Latchkey SDK in Node against the real server app (in process): a software navigator installed
 * as the browser's, fetch through the app, and the SDK loaded. `uninstallSdk()` (in `afterEach`)
 * removes the navigator again.
 */
import type { TestServer } from '../../server/test/support/harness.js';
import { DEV_ORIGIN } from '../../server/test/support/harness.js';
import { Latchkey } from '../src/latchkey.js';
import { browserFetch, SoftwareNavigator } from './software-navigator.js';

let uninstall: (() => void) | null = null;

export function uninstallSdk(): void {
  uninstall?.();
  uninstall = null;
}

export async function sdk(server: TestServer) {
  const nav = new SoftwareNavigator(DEV_ORIGIN);
  uninstall = nav.install();
  const latchkey = new Latchkey(undefined, { frontendApi: 'http://localhost:4000', fetch: browserFetch(server.app, DEV_ORIGIN) });
  await latchkey.load();
  return { latchkey, nav };
}

/** What `p` rejects with, as plain JSON (its code, meta and message); throws if it resolves. */
export async function errorOf(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return JSON.parse(JSON.stringify(err));
  }
  throw new Error('expected a rejection');
}
