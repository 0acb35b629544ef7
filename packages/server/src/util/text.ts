/**
 * What a text parameter may contain. PostgreSQL refuses a NUL byte in a text value outright (the
 * request would end in a 500), unpaired UTF-16 surrogates cannot be encoded as UTF-8 at all (the
 * driver silently turns them into U+FFFD, so what is stored is not what was sent), and other
 * control characters in a username, email address or name only serve to make two values look
 * alike. So every text parameter is refused with `form_param_format_invalid` when it holds any of
 * them, before it reaches a query.
 */

// C0 controls (NUL, tab, newline … US), DEL, and the C1 controls U+0080–U+009F.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `value` is not acceptable text, or null when it is. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (LONE_SURROGATE.test(value)) return 'must not contain unpaired UTF-16 surrogates';
  return null;
}

export const isCleanText = (value: string): boolean => textProblem(value) === null;
