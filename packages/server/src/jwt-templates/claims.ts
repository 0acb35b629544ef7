/**
 * JWT template claims (pure rules): which claims a template may set, and how its shortcodes
 * become values. A string that is exactly one shortcode takes the value itself (so
 * `"{{user.public_metadata}}"` becomes an object and a missing email becomes null); shortcodes
 * inside longer text are interpolated as text.
 */

export const SHORTCODES = ['user.id', 'user.username', 'user.primary_email_address', 'user.public_metadata'] as const;
export type Shortcode = (typeof SHORTCODES)[number];
export type ShortcodeValues = Record<Shortcode, unknown>;

/**
 * Claims Latchkey sets on every template token, so a template cannot forge them: who (`sub`),
 * for whom (`azp`), by whom (`iss`), when (`iat`, `nbf`, `exp`) and which token (`jti`).
 */
export const RESERVED_CLAIMS = ['azp', 'exp', 'iat', 'iss', 'jti', 'nbf', 'sub'] as const;

/** Bounds the token a template makes: it travels in headers (8 KB is a common limit). */
export const MAX_CLAIMS_JSON = 4096;

const WHOLE = /^\{\{\s*([a-z_.]+)\s*\}\}$/;
const ANY = /\{\{\s*([a-z_.]+)\s*\}\}/g;

function isShortcode(s: string): s is Shortcode {
  return (SHORTCODES as readonly string[]).includes(s);
}

/** Why `claims` cannot be a template's claims, or null if it can. */
export function claimsProblem(claims: unknown): string | null {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return 'Claims must be a JSON object.';
  const reserved = Object.keys(claims).filter((k) => (RESERVED_CLAIMS as readonly string[]).includes(k));
  if (reserved.length) return `Claims ${reserved.join(', ')} are set by Latchkey and cannot be overridden.`;
  const json = JSON.stringify(claims);
  if (json.length > MAX_CLAIMS_JSON) return `Claims must be at most ${MAX_CLAIMS_JSON} characters of JSON.`;
  const unknown = [...json.matchAll(ANY)].map((m) => m[1]!).filter((s) => !isShortcode(s));
  if (unknown.length) return `Unknown shortcode {{${unknown[0]}}}; use one of ${SHORTCODES.map((s) => `{{${s}}}`).join(', ')}.`;
  return null;
}

/** The claims with every shortcode replaced by its value. */
export function renderClaims(claims: Record<string, unknown>, values: ShortcodeValues): Record<string, unknown> {
  return render(claims, values) as Record<string, unknown>;
}

function render(node: unknown, values: ShortcodeValues): unknown {
  if (typeof node === 'string') {
    const whole = WHOLE.exec(node);
    if (whole && isShortcode(whole[1]!)) return values[whole[1]] ?? null;
    return node.replace(ANY, (text, code: string) => (isShortcode(code) ? asText(values[code]) : text));
  }
  if (Array.isArray(node)) return node.map((n) => render(n, values));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, render(v, values)]));
  return node;
}

function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
