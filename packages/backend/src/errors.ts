/** Errors of the backend API, typed by the server's own codes: callers `switch (err.code)`. */
import type { ErrorCode } from '@latchkey/types';

export { ERROR_CODES } from '@latchkey/types';

/**
 * A known code (`ErrorCode` from @latchkey/types, the server's catalogue), or another string: a
 * newer server may add codes, and an older client must still carry them rather than fail.
 */
export type LatchkeyErrorCode = ErrorCode | (string & {});

export interface ApiErrorEntry {
  code: LatchkeyErrorCode;
  message: string;
  longMessage: string;
  meta: { paramName?: string; retryAfter?: number };
}

/** The backend API answered with an error envelope (or not with JSON at all: `code` `internal_error`). */
export class LatchkeyApiError extends Error {
  override readonly name = 'LatchkeyApiError';
  /** The first error's code; what callers switch on. */
  readonly code: LatchkeyErrorCode;
  constructor(
    readonly status: number,
    readonly errors: ApiErrorEntry[],
    readonly traceId: string | null,
  ) {
    super(errors[0]?.longMessage ?? errors[0]?.message ?? `HTTP ${status}`);
    this.code = errors[0]?.code ?? 'internal_error';
  }

  /** So `JSON.stringify(err)` shows what went wrong. */
  toJSON() {
    return { name: this.name, status: this.status, code: this.code, errors: this.errors, traceId: this.traceId };
  }
}

type WireError = { code?: unknown; message?: unknown; long_message?: unknown; meta?: { param_name?: unknown; retry_after?: unknown } };

/** Turns the server's `{ errors: [...], clerk_trace_id }` into a typed error. */
export function errorFromBody(status: number, body: unknown): LatchkeyApiError {
  const b = (body ?? {}) as { errors?: WireError[]; clerk_trace_id?: unknown };
  const errors: ApiErrorEntry[] = Array.isArray(b.errors)
    ? b.errors.map((e) => {
        const meta: ApiErrorEntry['meta'] = {};
        if (typeof e.meta?.param_name === 'string') meta.paramName = e.meta.param_name;
        if (typeof e.meta?.retry_after === 'number') meta.retryAfter = e.meta.retry_after;
        const message = typeof e.message === 'string' ? e.message : `HTTP ${status}`;
        return {
          code: typeof e.code === 'string' ? e.code : 'internal_error',
          message,
          longMessage: typeof e.long_message === 'string' ? e.long_message : message,
          meta,
        };
      })
    : [{ code: 'internal_error', message: `HTTP ${status}`, longMessage: `The server answered HTTP ${status} without an error body.`, meta: {} }];
  return new LatchkeyApiError(status, errors, typeof b.clerk_trace_id === 'string' ? b.clerk_trace_id : null);
}
