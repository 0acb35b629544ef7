import { describe, expect, it } from 'vitest';
import { elementClass, mergeAppearance, variablesStyle } from './appearance.js';
import { defaultLocalization, format, mergeLocalization } from './localization.js';
import { placeError } from './placed-error.js';

const apiError = (code: string, paramName?: string) => ({
  latchkeyError: true,
  status: 422,
  errors: [{ code, message: 'short', longMessage: `server words for ${code}`, meta: paramName ? { paramName } : {} }],
});
const runtimeError = (code: string) => ({ latchkeyRuntimeError: true, code, message: 'raw browser text' });

describe('appearance', () => {
  it('turns variables into --lk-* custom properties, skipping unknown and empty ones', () => {
    expect(variablesStyle({ colorPrimary: '#7c3aed', borderRadius: '0', fontFamily: '' })).toEqual({ '--lk-color-primary': '#7c3aed', '--lk-radius': '0' });
    expect(variablesStyle({ nope: 'x' } as never)).toEqual({});
  });

  it("adds the caller's class names to an element's own", () => {
    const a = mergeAppearance({ elements: { formButtonPrimary: 'app-btn' } }, { elements: { title: 'mine' } });
    expect(elementClass(a, 'formButtonPrimary', 'lk-button')).toBe('lk-formButtonPrimary lk-button app-btn');
    expect(elementClass(a, 'title')).toBe('lk-title mine');
    // The component's own appearance wins over the provider's.
    expect(mergeAppearance({ variables: { colorPrimary: 'red' } }, { variables: { colorPrimary: 'blue' } }).variables).toEqual({ colorPrimary: 'blue' });
  });
});

describe('localization', () => {
  it('merges section by section over the defaults; later layers win', () => {
    const l = mergeLocalization({ signIn: { continue: 'Weiter' } }, { signIn: { divider: 'oder' }, errors: { session_exists: 'Schon angemeldet.' } });
    expect(l.signIn.continue).toBe('Weiter');
    expect(l.signIn.divider).toBe('oder');
    expect(l.signIn.passkeyButton).toBe(defaultLocalization.signIn.passkeyButton);
    expect(l.errors['session_exists']).toBe('Schon angemeldet.');
    expect(l.errors['passkey_retrieval_cancelled']).toBe(defaultLocalization.errors['passkey_retrieval_cancelled']);
    expect(defaultLocalization.signIn.continue).toBe('Continue'); // defaults untouched
  });

  it('fills placeholders', () => {
    expect(format('Sign in to {{applicationName}}', { applicationName: 'Acme' })).toBe('Sign in to Acme');
    expect(format('{{a}} and {{b}}', { a: 1 })).toBe('1 and ');
  });
});

describe('placeError', () => {
  const l = mergeLocalization();
  it("puts an error on the field the API names, when the form has that field", () => {
    expect(placeError(apiError('form_identifier_exists', 'email_address'), { email_address: 'emailAddress' }, l)).toEqual({
      field: 'emailAddress',
      message: 'server words for form_identifier_exists',
    });
  });

  it('puts cancel, a deleted passkey, rate limits and session_exists on the form, not on a field', () => {
    const fields = { identifier: 'identifier' };
    expect(placeError(runtimeError('passkey_retrieval_cancelled'), fields, l)).toEqual({ field: null, message: l.errors['passkey_retrieval_cancelled'] });
    expect(placeError(apiError('passkey_not_registered', 'public_key_credential'), fields, l).field).toBeNull();
    expect(placeError(apiError('too_many_requests'), fields, l)).toEqual({ field: null, message: l.errors['too_many_requests'] });
    expect(placeError(apiError('session_exists'), fields, l).field).toBeNull();
  });
});
