/**
 * Paths that belong to the frontend API. Nothing under them is ever a page: an unknown one
 * answers the JSON error envelope (404 `resource_not_found`), so an SDK that asks for a route we
 * do not serve reads a clear error instead of failing on the demo's HTML (`Unexpected token '<'`).
 * That includes `<proxyUrl>/npm/@clerk/clerk-js@…/clerk.browser.js`, which `@clerk/react` fetches
 * when it is not given a bundled `Clerk` (docs/clerk-sdk.md).
 */
import { LatchkeyError } from '../errors/index.js';

const API_PREFIXES = ['/v1', '/__clerk'];

export function isApiPath(path: string): boolean {
  return API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

export function unknownApiPath(method: string, path: string): LatchkeyError {
  return new LatchkeyError('resource_not_found', { why: `The API has no route for ${method} ${path}.` });
}
