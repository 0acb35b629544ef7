/**
 * A new credential's public key must be usable before we store it (WebAuthn §7.1 step 27 stores
 * it "for use in future authentications"): a truncated coordinate, a point off its curve, a short
 * RSA modulus or an even exponent, an Ed25519 key of the wrong length would create an account that
 * can never sign in — or one "protected" by a key anyone can forge for. The key is imported exactly
 * as sign-in will import it (public-keys.ts: node:crypto `createPublicKey`, which refuses points
 * off the curve and coordinates of the wrong length), and RSA parameters are checked on top. Pure.
 */
import { CeremonyRejected } from './client-data.js';
import { parseCosePublicKey } from './public-keys.js';

/** RSA moduli below this are refused (NIST SP 800-131A: 2048 bits since 2014). */
export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 16_384;

/** Throws CeremonyRejected naming the problem when `cose` is not a public key we can verify with. */
export function checkCredentialPublicKey(cose: Uint8Array): void {
  let parsed;
  try {
    parsed = parseCosePublicKey(cose);
  } catch (err) {
    throw new CeremonyRejected(`the credential public key is unusable: ${(err as Error).message}`);
  }
  if (parsed.scheme === 'rsa-pkcs1' || parsed.scheme === 'rsa-pss') {
    const { modulusLength = 0, publicExponent = 0n } = parsed.key.asymmetricKeyDetails ?? {};
    if (modulusLength < MIN_RSA_BITS || modulusLength > MAX_RSA_BITS) {
      throw new CeremonyRejected(`the credential's RSA modulus is ${modulusLength} bits; ${MIN_RSA_BITS} to ${MAX_RSA_BITS} are accepted`);
    }
    // An even exponent (or 1) makes RSA verification meaningless.
    if (publicExponent < 3n || publicExponent % 2n === 0n) {
      throw new CeremonyRejected(`the credential's RSA exponent ${publicExponent} is not an odd number of at least 3`);
    }
  }
}
