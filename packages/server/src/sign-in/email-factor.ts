/**
 * The email-code factor a sign-in offers (setting `emailCodeSignIn`), chosen when the sign-in is
 * created with an identifier: the user's verified address, masked — or, for an unknown identifier
 * or a user without a verified address, a decoy with the same shape. As with passkey decoys
 * (webauthn/decoys.ts), the decoy is derived by HMAC from a per-instance secret, so asking twice
 * gives the same answer and nothing in the answer tells whether the account exists. A code
 * "sent" to a decoy goes nowhere (sign-in/email-code.ts).
 */
import { createHmac } from 'node:crypto';
import * as identifiers from '../store/identifiers.js';
import type { Db } from '../store/types.js';
import { normalizeIdentifier } from '../users/identifiers.js';
import { idFromParts } from '../util/ids.js';

export interface EmailFactor {
  /** `email_address_id`: the identifier's id, or a decoy's. */
  id: string;
  /** `safe_identifier`: the address, masked. */
  safe: string;
}

/** `ada@example.com` → `a***@example.com`: enough for the owner to recognise, not to harvest. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

const DECOY_DOMAINS = ['gmail.com', 'outlook.com', 'icloud.com', 'yahoo.com', 'proton.me'] as const;
/** Decoy ids carry a creation time, as real ones do: somewhere in 2024–2025, stable per identifier. */
const DECOY_EPOCH = Date.UTC(2024, 0, 1);
const DECOY_SPAN_MS = 2 * 365 * 24 * 3600_000;

export function decoyEmailFactor(secret: string, typedIdentifier: string): EmailFactor {
  const normalized = normalizeIdentifier(typedIdentifier);
  const seed = createHmac('sha256', secret).update(`email-decoy:${normalized}`).digest();
  const id = idFromParts('idn', DECOY_EPOCH + (seed.readUInt32BE(0) * 1000) % DECOY_SPAN_MS, seed.subarray(4, 13).toString('base64url'));
  // Typed an address: the decoy masks it, exactly as a real account's factor would.
  if (typedIdentifier.includes('@')) return { id, safe: maskEmail(typedIdentifier.trim()) };
  const letter = String.fromCharCode(97 + (seed[13]! % 26));
  return { id, safe: `${letter}***@${DECOY_DOMAINS[seed[14]! % DECOY_DOMAINS.length]}` };
}

/** The factor to offer for `identifier` (resolved to `userId`, or null when unknown). */
export async function emailFactorFor(db: Db, secret: string, identifier: string, userId: string | null): Promise<EmailFactor> {
  // Looked up for an unknown identifier too (an id no user has), so both cost the same query.
  const email = await identifiers.verifiedEmailOf(db, userId ?? 'user_');
  if (!email) return decoyEmailFactor(secret, identifier);
  // Typed an address: mask what was typed, as a decoy does, not the stored spelling — otherwise
  // "ADA@example.com" would come back "a***@…" for a real account and "A***@…" for none.
  return { id: email.id, safe: maskEmail(identifier.includes('@') ? identifier.trim() : email.value) };
}
