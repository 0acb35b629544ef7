/**
 * What counts as a valid instance domain, RP ID and origin. One set of rules for both places that
 * accept them — environment variables (config/) and the stored instance settings (settings/) — so
 * a value refused at start-up is refused by the dashboard too, and the other way round.
 *
 * Each check returns the problem as a sentence, or null; callers add the name of the variable or
 * setting at fault.
 */
import { parse } from 'tldts';

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A host name an instance can be the domain or RP ID of. Refused beyond the syntax:
 * - IP addresses: WebAuthn needs a valid domain as RP ID (§5.1.3 step 8; browsers throw SecurityError).
 * - public suffixes (`com`, `co.uk`, `github.io`): as a domain with subdomains allowed it would trust
 *   `https://*.com`, i.e. every other site; as an RP ID browsers refuse it.
 */
export function hostnameProblem(host: string): string | null {
  if (!HOSTNAME.test(host)) return 'must be a lower-case host name such as example.com (no scheme, port or path)';
  const parsed = parse(host, { allowPrivateDomains: true });
  if (parsed.isIp) return 'must be a host name, not an IP address (WebAuthn needs a domain)';
  // Unknown single labels (`localhost`, an intranet name) are not on the list and stay allowed.
  if (parsed.publicSuffix === host && (parsed.isIcann || parsed.isPrivate))
    return `must not be a public suffix: ${host} is shared by unrelated sites (use your own domain, e.g. example.${host})`;
  return null;
}

/** An exact web origin: http(s), host, optional port; no path, query or trailing slash. */
export function originProblem(value: string): string | null {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return 'must be an origin like https://app.example.com (scheme, host, optional port; no path or trailing slash)';
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.origin !== value)
    return 'must be an origin like https://app.example.com (scheme, host, optional port; no path or trailing slash)';
  return null;
}

const isWithin = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/**
 * An explicit RP ID must share a host with the instance domain: be the domain, a parent of it (so
 * every subdomain can use the passkeys), or a subdomain of it (passkeys scoped to that part, e.g.
 * `staging1.example.com`). Browsers accept an RP ID only if it is a registrable suffix of the
 * page's host (WebAuthn §5.1.3 step 8), so an unrelated RP ID would leave no page of the instance
 * able to create or use a passkey.
 */
export function rpIdDomainProblem(rpId: string, domain: string): string | null {
  if (isWithin(domain, rpId) || isWithin(rpId, domain)) return null;
  return `must be the domain ${domain}, a parent or a subdomain of it (no page of ${domain} can use passkeys of ${rpId})`;
}
