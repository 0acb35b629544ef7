/**
 * A new passkey's default name must tell it apart from the user's others: two passkeys made in
 * the same browser would otherwise both be "Chrome on Linux", and the user could not tell which
 * one to delete. The second becomes "Chrome on Linux 2", the next free number after that.
 */
const MAX = 64;

export function distinctPasskeyName(base: string, taken: readonly string[]): string {
  const used = new Set(taken.map((n) => n.trim().toLowerCase()));
  if (!used.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = ` ${n}`;
    // Cut the base, not the number, when the name would pass the 64-character limit.
    const candidate = `${[...base].slice(0, MAX - suffix.length).join('').trimEnd()}${suffix}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}
