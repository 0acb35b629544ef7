import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ErrorCode as ServerErrorCode } from '../../server/src/errors/index.js';
import { ERROR_CODES, type ErrorCode } from './index.js';

describe('ERROR_CODES', () => {
  it('is the same set as the codes the server can throw', () => {
    // Both directions: a code added to the server but not here (or the other way) fails to compile.
    expectTypeOf<ErrorCode>().toEqualTypeOf<ServerErrorCode>();
  });

  it('lists each code once, in snake_case', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it("keeps every code DESIGN.md promises Clerk's SDKs", () => {
    const design = [
      'passkey_registration_failure',
      'passkey_invalid_public_key_credential',
      'passkey_invalid_verification',
      'passkey_authentication_failure',
      'passkey_not_registered',
      'no_passkeys_found_for_user',
      'passkey_quota_exceeded',
      'verification_expired',
      'form_identifier_not_found',
      'form_identifier_exists',
      'form_param_missing',
      'form_param_format_invalid',
      'origin_invalid',
      'authentication_invalid',
      'signed_out',
      'too_many_requests',
      'feature_not_enabled',
    ];
    expect(ERROR_CODES).toEqual(expect.arrayContaining(design));
  });
});
