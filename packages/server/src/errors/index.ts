/**
 * One error type for every request-time failure. A throw site names a code from the catalogue
 * (catalogue.ts) and the details of this occurrence; the status and short message come from the
 * catalogue. A single `onError` handler turns it into the API's error envelope.
 */
import { CATALOGUE, type CatalogueEntry, type ErrorCode } from './catalogue.js';

export { CATALOGUE, type ErrorCode } from './catalogue.js';

export interface ErrorMeta {
  param_name?: string;
  /** Seconds until a rate-limited caller may retry. */
  retry_after?: number;
}

export interface ErrorDetails {
  /** The parameter at fault; also fills the default messages that name it. */
  param?: string;
  /** Why, for the developer reading the answer; defaults to the catalogue's long message. */
  why?: string;
  retryAfter?: number;
  /** What was not found (resource_not_found): fills the default messages, sets no param_name. */
  subject?: string;
}

const text = (v: CatalogueEntry['message'] | undefined, param: string | undefined) => (typeof v === 'function' ? v(param) : v);

export class LatchkeyError extends Error {
  override readonly name = 'LatchkeyError';
  readonly status: number;
  readonly longMessage: string;
  readonly meta: ErrorMeta;

  constructor(
    readonly code: ErrorCode,
    details: ErrorDetails = {},
  ) {
    const entry: CatalogueEntry = CATALOGUE[code];
    const fill = details.param ?? details.subject;
    const message = text(entry.message, fill)!;
    super(message);
    this.status = entry.status;
    this.longMessage = details.why ?? text(entry.longMessage, fill) ?? message;
    this.meta = {};
    if (details.param !== undefined) this.meta.param_name = details.param;
    if (details.retryAfter !== undefined) this.meta.retry_after = details.retryAfter;
  }
}

/** `new LatchkeyError(code, details)` for throw sites that read better as a call. */
export const fail = (code: ErrorCode, details?: ErrorDetails): LatchkeyError => new LatchkeyError(code, details);

export interface ErrorBody {
  errors: { code: ErrorCode; message: string; long_message: string; meta: ErrorMeta }[];
  clerk_trace_id: string;
}

export function toErrorBody(err: LatchkeyError, traceId: string): ErrorBody {
  return {
    errors: [{ code: err.code, message: err.message, long_message: err.longMessage, meta: err.meta }],
    clerk_trace_id: traceId,
  };
}
