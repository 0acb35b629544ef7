/**
 * The security headers of the pages the server serves (the demo; later the dashboard and the
 * account portal) and their assets, mounted before the static files (server.ts):
 *
 * - `frame-ancestors 'none'` (and `X-Frame-Options: DENY` for browsers without CSP 2): no site
 *   can put our pages in a frame and trick a click (clickjacking) into starting a passkey ceremony
 *   or deleting one. The ceremonies themselves also refuse `crossOrigin` client data.
 * - Scripts and connections only from our own origin (styles may also be inline), no plugins, no `<base>` rewrite:
 *   an injected `<script>` or inline handler does not run, so it cannot drive the SDK.
 */
import type { MiddlewareHandler } from 'hono';

export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Inline styles: the prebuilt components insert their stylesheet and set appearance variables
  // on elements. A style cannot run code, so this leaves the script rule whole.
  "style-src 'self' 'unsafe-inline'",
  // Clerk's browser SDK, when an app serves it from here, polls tokens from a blob: worker.
  "worker-src 'self' blob:",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function pageSecurity(): MiddlewareHandler {
  return async function pageSecurity(c, next) {
    await next();
    c.header('Content-Security-Policy', PAGE_CSP);
    c.header('X-Frame-Options', 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
  };
}
