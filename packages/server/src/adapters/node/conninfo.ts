/** The peer address of a request served by @hono/node-server. */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

export function nodeClientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not served by @hono/node-server (e.g. app.request in tests)
  }
}
