import { parseAPIError } from '../errors.js';
import { toDate } from './convert.js';
import type { VerificationResource, VerificationStatus } from './types.js';
import type { VerificationJSON } from './wire.js';

export function verificationFromJSON(json: VerificationJSON | null | undefined): VerificationResource {
  return {
    status: (json?.status ?? null) as VerificationStatus | null,
    strategy: json?.strategy ?? null,
    nonce: json?.nonce ?? null,
    attempts: json?.attempts ?? null,
    expireAt: toDate(json?.expire_at),
    error: json?.error ? parseAPIError(json.error) : null,
  };
}
