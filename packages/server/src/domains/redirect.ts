/**
 * Where the account portal may send a user after sign-in or sign-up (`redirect_url`). An open
 * redirect turns the portal into a phishing relay ("sign in at accounts.example.com" → lands on a
 * look-alike site that asks for more), so only an origin the instance already trusts passes:
 * the same `isAllowedOrigin` that guards CORS and CSRF (domains/index.ts).
 *
 * The check refuses by form first, before any URL parsing, because parsers disagree: a browser
 * reads `https:\\evil.com` and `/\evil.com` as `https://evil.com`, drops tabs and newlines inside
 * a URL (`java\tscript:`), and resolves `//evil.com` against the current scheme. Only two forms
 * are accepted — an absolute `http(s)://` URL and a path that starts with exactly one `/` — and the
 * answer is the parsed URL's own serialisation, so the page navigates to what was checked, never
 * to the raw string.
 */

export type RedirectCheck =
  | { ok: true; url: string }
  | { ok: false; kind: 'malformed' | 'not_allowed'; problem: string };

export interface RedirectRules {
  /** Where a path (`/user`) leads: the portal's own public URL. */
  base: string;
  isAllowedOrigin(origin: string): boolean;
}

const MAX_LENGTH = 2048;

const malformed = (problem: string): RedirectCheck => ({ ok: false, kind: 'malformed', problem });

export function checkRedirectUrl(raw: string, rules: RedirectRules): RedirectCheck {
  if (raw.length === 0 || raw.length > MAX_LENGTH) return malformed(`redirect_url must be 1 to ${MAX_LENGTH} characters long.`);
  // Whitespace and control characters: URL parsers strip some of them silently (tab, newline,
  // leading spaces), so what is checked would differ from what the browser opens.
  if (/[\s\u0000-\u001f\u007f-\u009f]/u.test(raw)) return malformed('redirect_url must not contain spaces or control characters.');
  // Browsers treat `\` as `/` in http(s) URLs: `/\evil.com` is protocol-relative to them.
  if (raw.includes('\\')) return malformed('redirect_url must not contain backslashes.');
  if (raw.startsWith('//')) return malformed('redirect_url must not be protocol-relative (//host); give the full https:// URL.');
  const absolute = /^https?:\/\//i.test(raw);
  if (!absolute && !raw.startsWith('/')) {
    return malformed('redirect_url must be an http:// or https:// URL of your application, or a path starting with /.');
  }
  let url: URL;
  try {
    url = new URL(raw, rules.base);
  } catch {
    return malformed('redirect_url is not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return malformed('redirect_url must use http or https.');
  // `https://app.example.com@evil.com` opens evil.com; a reader sees app.example.com.
  if (url.username || url.password) return malformed('redirect_url must not contain a user name or password (user@host).');
  if (!rules.isAllowedOrigin(url.origin)) {
    return {
      ok: false,
      kind: 'not_allowed',
      problem: `redirect_url leads to ${url.origin}, which is not an allowed origin of this instance; the portal only returns you to the instance's own applications.`,
    };
  }
  return { ok: true, url: url.href };
}
