/**
 * ECDSA signatures in WebAuthn are ASN.1 DER (§6.5.5): SEQUENCE { INTEGER r, INTEGER s }. DER
 * allows exactly one encoding of each signature, and that is the only one accepted here: minimal
 * definite lengths, universal tags, minimal non-negative INTEGERs, nothing after. Any other
 * encoding (BER lengths, a trailing byte, padded or negative INTEGERs — what ASN.1 parsers often
 * tolerate) is refused: a second spelling of a valid signature gives an attacker a different
 * assertion with the same meaning, and nothing an authenticator sends needs it. Pure.
 */

/** Content offset and length of a DER length field at `at`, or null if not minimal/definite. */
function derLength(der: Uint8Array, at: number): { start: number; length: number } | null {
  if (at >= der.length) return null;
  const first = der[at]!;
  if (first < 0x80) return { start: at + 1, length: first };
  // Long form is allowed only with one length byte, and only for lengths that need it.
  if (first === 0x81 && at + 1 < der.length && der[at + 1]! >= 0x80) return { start: at + 2, length: der[at + 1]! };
  return null;
}

/**
 * r‖s (IEEE P1363, each `size` bytes) from a strict DER ECDSA signature, or null when the bytes
 * are not strict DER or r or s is wider than the curve allows.
 */
export function strictDerToP1363(der: Uint8Array, size: number): Buffer | null {
  if (der.length < 2 || der[0] !== 0x30) return null;
  const seq = derLength(der, 1);
  if (!seq || seq.start + seq.length !== der.length) return null;
  const out = Buffer.alloc(2 * size);
  let i = seq.start;
  for (const at of [0, size]) {
    if (i >= der.length || der[i] !== 0x02) return null;
    const int = derLength(der, i + 1);
    if (!int || int.length === 0 || int.start + int.length > der.length) return null;
    let start = int.start;
    let length = int.length;
    if (der[start]! & 0x80) return null; // negative
    if (der[start] === 0 && length > 1) {
      if (!(der[start + 1]! & 0x80)) return null; // a leading zero that is not needed
      start++;
      length--;
    }
    if (length > size) return null;
    out.set(der.subarray(start, start + length), at + size - length);
    i = int.start + int.length;
  }
  return i === der.length ? out : null;
}
