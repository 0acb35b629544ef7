import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../server/src/errors/catalogue.js';
import { ERROR_CODES, errorFromBody, LatchkeyApiError } from './errors.js';

describe('backend client errors', () => {
  it('know every code of the server catalogue', () => {
    const known = new Set<string>(ERROR_CODES);
    expect(Object.keys(CATALOGUE).filter((code) => !known.has(code))).toEqual([]);
  });

  it('read the envelope: code, status, messages, param name, trace id', () => {
    const err = errorFromBody(422, {
      errors: [{ code: 'form_param_missing', message: 'url is missing.', long_message: 'Enter url.', meta: { param_name: 'url' } }],
      clerk_trace_id: 't1',
    });
    expect(err).toBeInstanceOf(LatchkeyApiError);
    expect(err).toMatchObject({ status: 422, code: 'form_param_missing', traceId: 't1', message: 'Enter url.' });
    expect(err.errors[0]!.meta).toEqual({ paramName: 'url' });
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({ status: 422, code: 'form_param_missing' });
  });

  it('a body that is not the envelope still gives a typed error', () => {
    expect(errorFromBody(502, '<html>bad gateway</html>')).toMatchObject({ status: 502, code: 'internal_error' });
  });
});
