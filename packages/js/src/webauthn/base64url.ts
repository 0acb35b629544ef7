/**
 * base64url without padding (RFC 4648 §5), the encoding WebAuthn's JSON forms use for binary
 * fields. Kept by hand so the SDK needs no Buffer polyfill in browsers.
 */

export function bytesToBase64url(input: ArrayBuffer | ArrayBufferView): string {
  const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    // Chunked so long inputs (attestation objects with certificate chains) stay under the argument limit.
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Accepts padded or unpadded base64url (and plain base64, which some authenticators' tools emit). */
export function base64urlToBytes(input: string): Uint8Array<ArrayBuffer> {
  const std = input.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(std + '='.repeat((4 - (std.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
