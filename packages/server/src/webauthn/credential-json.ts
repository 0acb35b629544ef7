/**
 * Parses the `public_key_credential` parameter into the JSON shape of a PublicKeyCredential.
 * Parsing only (CredentialParseError): whether the values are acceptable is decided by the
 * verify functions (CeremonyRejected).
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import { CredentialParseError } from './errors.js';

const b64url = z.string().min(1).max(65_536).regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding');

const common = {
  id: b64url,
  rawId: b64url,
  type: z.literal('public-key'),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional().catch(undefined),
};

const registrationSchema = z.object({
  ...common,
  response: z.object({
    clientDataJSON: b64url,
    attestationObject: b64url,
    transports: z.array(z.string().max(32)).max(10).optional(),
  }).passthrough(),
});

const authenticationSchema = z.object({
  ...common,
  response: z.object({
    clientDataJSON: b64url,
    authenticatorData: b64url,
    signature: b64url,
    userHandle: z.union([b64url, z.null()]).optional(),
  }).passthrough(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  let json = value;
  if (typeof value === 'string') {
    try {
      json = JSON.parse(value);
    } catch {
      throw new CredentialParseError('public_key_credential is not valid JSON.');
    }
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new CredentialParseError(`public_key_credential.${issue.path.join('.')}: ${issue.message}`);
  }
  return result.data;
}

export const parseRegistrationCredential = (v: unknown) =>
  parse(registrationSchema, v) as unknown as RegistrationResponseJSON;
export const parseAuthenticationCredential = (v: unknown) =>
  parse(authenticationSchema, v) as unknown as AuthenticationResponseJSON;
