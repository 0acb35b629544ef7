import type { LatchkeyAPIError } from '@latchkey/js';
import { defaultLocalization } from '../ui/localization.js';

// Duck-typed rather than instanceof so this file needs only types from @latchkey/js.
function apiErrors(err: unknown): LatchkeyAPIError[] | undefined {
  const errors = (err as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) && errors.length > 0 ? (errors as LatchkeyAPIError[]) : undefined;
}

function runtimeCode(err: unknown): string | undefined {
  const e = err as { latchkeyRuntimeError?: unknown; code?: unknown } | null;
  return e?.latchkeyRuntimeError === true && typeof e.code === 'string' ? e.code : undefined;
}

/** What an error is about: its code, and the form field it names (API errors' `meta.paramName`). */
export function describeError(err: unknown): { code: string | undefined; param: string | undefined; api: LatchkeyAPIError | undefined } {
  const api = apiErrors(err)?.[0];
  if (api) return { code: api.code, param: api.meta?.paramName, api };
  return { code: runtimeCode(err), param: undefined, api: undefined };
}

/**
 * The sentence to show for any error the SDK throws: `messages[code]` (the localization's
 * `errors`) when set — except that an API error keeps the server's own words by default, since
 * they name what went wrong precisely — then the server's long message, then a fallback.
 */
export function errorMessage(err: unknown, messages: Record<string, string> = {}): string {
  const { code, api } = describeError(err);
  if (code && messages[code]) return messages[code];
  if (api) return api.longMessage ?? api.message;
  const builtIn = defaultLocalization.errors;
  if (code && code in builtIn && code !== 'unknown') return builtIn[code]!;
  return messages['unknown'] ?? builtIn['unknown']!;
}

/**
 * True for the abort a newer passkey request causes (the autofill request is cancelled when the
 * user presses a passkey button): expected, never worth a message.
 */
export function isSupersededRequest(err: unknown): boolean {
  return runtimeCode(err) === 'passkey_operation_aborted';
}
