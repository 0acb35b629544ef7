import type { Config } from './index.js';
import { publishableKey } from './publishable-key.js';

/**
 * A publishable key that Clerk's own SDKs accept, and the `proxyUrl` to give them with it.
 *
 * Clerk's constructor refuses a key whose decoded host has no dot (`localhost:4000` fails its
 * format check). With `proxyUrl` set, Clerk sends every request to the proxy and never uses the
 * host inside the key, so a dotted stand-in (`latchkey.localhost`) is enough where our own key
 * names a dotless host. Where the public URL's host has a dot, our key serves both SDKs.
 */
export const CLERK_STAND_IN_HOST = 'latchkey.localhost';

export function clerkSdkKey(config: Pick<Config, 'mode' | 'publicUrl'>): { publishableKey: string; proxyUrl: string } {
  const url = new URL(config.publicUrl);
  const proxyUrl = `${url.origin}${url.pathname.replace(/\/$/, '')}/__clerk`;
  if (url.hostname.includes('.')) return { publishableKey: publishableKey(config), proxyUrl };
  const prefix = config.mode === 'production' ? 'pk_live_' : 'pk_test_';
  return { publishableKey: prefix + Buffer.from(`${CLERK_STAND_IN_HOST}$`).toString('base64'), proxyUrl };
}
