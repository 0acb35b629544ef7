import type { Config } from './index.js';

/**
 * The key an app gives the browser SDK to find this server: `pk_test_`/`pk_live_` +
 * base64(`<host[:port][/path]>$`), the layout Clerk's keys use. It names a location, not a secret.
 */
export function publishableKey(config: Pick<Config, 'mode' | 'publicUrl'>): string {
  const url = new URL(config.publicUrl);
  const hostAndPath = `${url.host}${url.pathname.replace(/\/$/, '')}`;
  const prefix = config.mode === 'production' ? 'pk_live_' : 'pk_test_';
  return prefix + Buffer.from(`${hostAndPath}$`).toString('base64');
}
