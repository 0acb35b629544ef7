/**
 * The length of the first CBOR data item in a byte string (RFC 8949 §3), so a caller can insist
 * that an encoding is exactly one item: the attestation object is "the CBOR map" (WebAuthn
 * §6.5.4), and bytes after it are not part of anything we verified. The decoders we use read the
 * first item and ignore the rest, which is why this is counted separately. Pure; throws
 * `CborMalformed` on truncated or reserved encodings.
 */

export class CborMalformed extends Error {
  override readonly name = 'CborMalformed';
}

const MAX_DEPTH = 32;
const BREAK = 0xff;

/** Offset just past the item that starts at `start`. */
function itemEnd(b: Uint8Array, start: number, depth: number): number {
  if (depth > MAX_DEPTH) throw new CborMalformed(`nested deeper than ${MAX_DEPTH}`);
  if (start >= b.length) throw new CborMalformed('truncated');
  const major = b[start]! >> 5;
  const info = b[start]! & 0x1f;
  let i = start + 1;
  if (info === 31) return indefiniteEnd(b, i, major, depth);
  if (info > 27) throw new CborMalformed(`reserved additional information ${info}`);
  let arg = info;
  if (info >= 24) {
    const size = 1 << (info - 24); // 1, 2, 4 or 8 bytes
    if (i + size > b.length) throw new CborMalformed('truncated');
    arg = 0;
    for (let k = 0; k < size; k++) arg = arg * 256 + b[i + k]!;
    i += size;
  }
  switch (major) {
    case 0: // unsigned integer
    case 1: // negative integer
    case 7: // simple value or float: its bytes were the argument
      return i;
    case 2: // byte string
    case 3: // text string
      if (arg > b.length - i) throw new CborMalformed('truncated');
      return i + arg;
    case 4: // array
    case 5: {
      // map: twice as many items
      const items = major === 4 ? arg : 2 * arg;
      if (items > b.length - i) throw new CborMalformed('truncated'); // each item is at least a byte
      for (let k = 0; k < items; k++) i = itemEnd(b, i, depth + 1);
      return i;
    }
    default: // 6: a tag and the item it tags
      return itemEnd(b, i, depth + 1);
  }
}

function indefiniteEnd(b: Uint8Array, i: number, major: number, depth: number): number {
  if (major === 0 || major === 1 || major === 6 || major === 7) throw new CborMalformed('indefinite length where none is allowed');
  for (let n = 0; ; n++) {
    if (i >= b.length) throw new CborMalformed('truncated');
    if (b[i] === BREAK) {
      if (major === 5 && n % 2 === 1) throw new CborMalformed('a map key without its value');
      return i + 1;
    }
    // Chunks of an indefinite string must be definite strings of the same type.
    if ((major === 2 || major === 3) && (b[i]! >> 5 !== major || (b[i]! & 0x1f) === 31)) throw new CborMalformed('bad string chunk');
    i = itemEnd(b, i, depth + 1);
  }
}

/** How many bytes the first CBOR item of `bytes` takes. */
export function cborItemLength(bytes: Uint8Array): number {
  return itemEnd(bytes, 0, 0);
}
