import type { ErrorCode } from '@latchkey/types';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  apiErrorFromResponse,
  type LatchkeyAPIError,
  isLatchkeyAPIResponseError,
  isLatchkeyRuntimeError,
  LatchkeyAPIResponseError,
  LatchkeyRuntimeError,
} from './errors.js';

const wire = {
  errors: [
    {
      code: 'form_identifier_not_found',
      message: "Couldn't find your account.",
      long_message: 'No account matches that username or email address.',
      meta: { param_name: 'identifier' },
    },
  ],
  clerk_trace_id: 'trace_123',
};

describe('apiErrorFromResponse', () => {
  it('camel-cases the error entries and keeps status and trace id', () => {
    const err = apiErrorFromResponse(422, wire);
    expect(err).toBeInstanceOf(LatchkeyAPIResponseError);
    expect(err.status).toBe(422);
    expect(err.clerkTraceId).toBe('trace_123');
    expect(err.errors).toEqual([
      {
        code: 'form_identifier_not_found',
        message: "Couldn't find your account.",
        longMessage: 'No account matches that username or email address.',
        meta: { paramName: 'identifier' },
      },
    ]);
    expect(err.message).toBe('No account matches that username or email address.');
  });

  it('reads Retry-After on 429', () => {
    const err = apiErrorFromResponse(429, { errors: [{ code: 'too_many_requests', message: 'Slow down' }] }, '7');
    expect(err.retryAfter).toBe(7);
    expect(err.errors[0]).toEqual({ code: 'too_many_requests', message: 'Slow down', longMessage: undefined, meta: {} });
  });

  it('still yields a code when the body is not the error envelope (a proxy error page)', () => {
    const err = apiErrorFromResponse(502, null);
    expect(err.status).toBe(502);
    expect(err.errors[0]?.code).toBe('unexpected_response');
  });

  it('survives JSON.stringify with every field, as the custom-flow guides log it', () => {
    const parsed = JSON.parse(JSON.stringify(apiErrorFromResponse(422, wire))) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      status: 422,
      clerkTraceId: 'trace_123',
      message: 'No account matches that username or email address.',
      name: 'LatchkeyAPIResponseError',
      errors: [{ code: 'form_identifier_not_found', longMessage: 'No account matches that username or email address.', meta: { paramName: 'identifier' } }],
    });
  });
});

describe('LatchkeyRuntimeError', () => {
  it('exposes code and message to JSON.stringify', () => {
    const err = new LatchkeyRuntimeError('Cancelled', { code: 'passkey_registration_cancelled', cause: new Error('x') });
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({ code: 'passkey_registration_cancelled', message: 'Cancelled', name: 'LatchkeyRuntimeError' });
  });
});

describe('type guards', () => {
  it('recognise their own errors and duck-typed copies, nothing else', () => {
    const api = apiErrorFromResponse(400, wire);
    const runtime = new LatchkeyRuntimeError('x', { code: 'passkey_not_supported' });
    expect(isLatchkeyAPIResponseError(api)).toBe(true);
    expect(isLatchkeyAPIResponseError(runtime)).toBe(false);
    expect(isLatchkeyRuntimeError(runtime)).toBe(true);
    expect(isLatchkeyRuntimeError(new Error('x'))).toBe(false);
    // Another bundled copy of the SDK: a different class, the same markers.
    expect(isLatchkeyAPIResponseError({ latchkeyError: true, errors: [] })).toBe(true);
    expect(isLatchkeyRuntimeError({ latchkeyRuntimeError: true, code: 'x' })).toBe(true);
  });
});

describe('LatchkeyAPIError.code', () => {
  it("is typed with the server's ErrorCode union plus the SDK's own two codes, not string", () => {
    expectTypeOf<LatchkeyAPIError['code']>().toEqualTypeOf<ErrorCode | 'unexpected_response' | 'unknown_error'>();
    // @ts-expect-error a misspelt code is a compile error
    const typo: LatchkeyAPIError['code'] = 'passkey_quota_exceded';
    expect(typo).toBeDefined();
  });
  it('passes a code the type does not list (a newer server) through as sent', () => {
    const err = apiErrorFromResponse(400, { errors: [{ code: 'some_future_code', message: 'm' }] });
    expect(err.errors[0]!.code).toBe('some_future_code');
  });
});
