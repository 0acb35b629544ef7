import { describe, expect, it } from 'vitest';
import { LatchkeyRuntimeError } from '../errors.js';
import { codeForWebAuthnError, toWebAuthnError } from './errors.js';

const dom = (name: string): DOMException => new DOMException('browser said no', name);

describe('codeForWebAuthnError', () => {
  it.each([
    ['InvalidStateError', 'create', 'passkey_already_exists'],
    ['NotAllowedError', 'create', 'passkey_registration_cancelled'],
    ['NotAllowedError', 'get', 'passkey_retrieval_cancelled'],
    ['AbortError', 'create', 'passkey_operation_aborted'],
    ['AbortError', 'get', 'passkey_operation_aborted'],
    ['SecurityError', 'create', 'passkey_invalid_rpID_or_domain'],
    ['SecurityError', 'get', 'passkey_invalid_rpID_or_domain'],
    ['NotSupportedError', 'create', 'passkey_not_supported'],
    ['UnknownError', 'create', 'passkey_registration_failed'],
    ['UnknownError', 'get', 'passkey_retrieval_failed'],
  ] as const)('%s during %s → %s', (name, ceremony, code) => {
    expect(codeForWebAuthnError(dom(name), ceremony)).toBe(code);
  });

  it('treats non-DOMException failures as failed ceremonies', () => {
    expect(codeForWebAuthnError(new TypeError('bad options'), 'create')).toBe('passkey_registration_failed');
    expect(codeForWebAuthnError(undefined, 'get')).toBe('passkey_retrieval_failed');
  });
});

describe('toWebAuthnError', () => {
  it('wraps with the code and keeps the original as cause', () => {
    const original = dom('NotAllowedError');
    const err = toWebAuthnError(original, 'get');
    expect(err).toBeInstanceOf(LatchkeyRuntimeError);
    expect(err.code).toBe('passkey_retrieval_cancelled');
    expect(err.cause).toBe(original);
  });

  it('passes an existing runtime error through', () => {
    const err = new LatchkeyRuntimeError('x', { code: 'passkey_pa_not_supported' });
    expect(toWebAuthnError(err, 'create')).toBe(err);
  });
});
