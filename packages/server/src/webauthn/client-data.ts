/**
 * Relying-party checks on CollectedClientData (§7.1 steps 7–11, §7.2 steps 11–15) that
 * @simplewebauthn/server leaves to us: origins matched against our pattern allowlist, and
 * cross-origin (iframe) ceremonies refused at registration as well as authentication. (At
 * authentication the library is not called; verify-authentication.ts checks the challenge too.)
 */
import type { DomainPolicy } from '../domains/index.js';

export interface ClientData {
  type: string;
  challenge: string;
  origin: string;
  crossOrigin?: boolean;
  topOrigin?: string;
}

import { CeremonyRejected } from './errors.js';

export { CeremonyRejected } from './errors.js';

export function decodeClientData(b64url: string): ClientData {
  return parseClientData(Buffer.from(b64url, 'base64url'));
}

/** The same from the bytes, for a caller that also needs them (authentication hashes them). */
export function parseClientData(bytes: Buffer): ClientData {
  let cd: unknown;
  try {
    cd = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new CeremonyRejected('clientDataJSON is not JSON');
  }
  const c = cd as Partial<ClientData>;
  if (!cd || typeof c.type !== 'string' || typeof c.challenge !== 'string' || typeof c.origin !== 'string') {
    throw new CeremonyRejected('clientDataJSON lacks type, challenge or origin');
  }
  return c as ClientData;
}

export function checkClientData(cd: ClientData, expected: { type: 'webauthn.create' | 'webauthn.get'; policy: DomainPolicy }): void {
  // Verify that the value of C.type is the expected ceremony (stops an assertion being replayed as an attestation).
  if (cd.type !== expected.type) throw new CeremonyRejected(`clientData.type is "${cd.type}", expected "${expected.type}"`);
  // Verify that C.origin is an origin we expect: exact scheme, host and port against the allowlist.
  const problem = expected.policy.webauthnOriginProblem(cd.origin);
  if (problem) throw new CeremonyRejected(`clientData.origin: ${problem}`);
  // We embed no ceremony in third-party iframes, so a cross-origin ceremony is a framing attack.
  if (cd.crossOrigin === true) throw new CeremonyRejected('clientData.crossOrigin is true; cross-origin ceremonies are not allowed');
  if (cd.topOrigin !== undefined) throw new CeremonyRejected(`clientData.topOrigin "${cd.topOrigin}" is not allowed`);
}
