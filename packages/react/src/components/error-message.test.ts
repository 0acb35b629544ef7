import { describe, expect, it } from 'vitest';
import { errorMessage, isSupersededRequest } from './error-message.js';

// Plain objects shaped like the SDK's errors: this package's tests run without building @latchkey/js.
const apiError = (longMessage: string | undefined) => ({
  latchkeyError: true,
  status: 422,
  errors: [{ code: 'form_identifier_not_found', message: 'Not found', longMessage, meta: {} }],
});
const runtimeError = (code: string) => ({ latchkeyRuntimeError: true, code, message: 'raw browser text' });

describe('errorMessage', () => {
  it("shows the API's long message, else its message", () => {
    expect(errorMessage(apiError('No account matches that username.'))).toBe('No account matches that username.');
    expect(errorMessage(apiError(undefined))).toBe('Not found');
  });

  it('turns browser codes into sentences instead of DOMException text', () => {
    expect(errorMessage(runtimeError('passkey_registration_cancelled'))).toBe('Passkey creation was cancelled.');
    expect(errorMessage(runtimeError('passkey_already_exists'))).toMatch(/already holds a passkey/);
  });

  it('has a fallback for anything else', () => {
    expect(errorMessage(new Error('boom'))).toBe('Something went wrong. Please try again.');
    expect(errorMessage(runtimeError('some_future_code'))).toBe('Something went wrong. Please try again.');
    expect(errorMessage(null)).toBe('Something went wrong. Please try again.');
  });
});

describe('isSupersededRequest', () => {
  it('recognises only the abort caused by a newer request', () => {
    expect(isSupersededRequest(runtimeError('passkey_operation_aborted'))).toBe(true);
    expect(isSupersededRequest(runtimeError('passkey_retrieval_cancelled'))).toBe(false);
    expect(isSupersededRequest(new DOMException('x', 'AbortError'))).toBe(false);
  });
});
