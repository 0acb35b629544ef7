/**
 * Domain rules: which RP ID the instance uses and which origins may call it.
 *
 * - RP ID: the explicit setting, else the registrable domain of the instance domain (public-suffix
 *   aware, private suffixes included so `foo.github.io` is its own site), else `localhost` in
 *   development. A passkey made for `example.com` then works on every `*.example.com`.
 * - Allowed origins (CSRF and CORS): `https://<domain>`, `https://*.<domain>` (unless
 *   `allowSubdomains` is off), the explicit extra origins, and in development
 *   `http(s)://localhost:*` and `http(s)://*.localhost:*`.
 * - WebAuthn origins: allowed origins whose host is the RP ID or under it, plus related origins
 *   (WebAuthn L3 §5.11). An allowed origin elsewhere (a satellite domain) cannot use the RP ID:
 *   browsers refuse it, and so do we, with a message that says why.
 */
import { getDomain } from 'tldts';
import type { Mode } from '../config/index.js';
import type { InstanceSettings } from '../settings/schema.js';

export interface DomainPolicy {
  rpId: string;
  /** May this origin call state-changing endpoints (and be answered by CORS)? */
  isAllowedOrigin(origin: string): boolean;
  /** Why this origin cannot run a WebAuthn ceremony for the RP ID, or null if it can. */
  webauthnOriginProblem(origin: string): string | null;
  relatedOrigins: readonly string[];
}

function hostOf(origin: string): { scheme: string; host: string; port: string } | null {
  try {
    const u = new URL(origin);
    if (u.origin !== origin) return null;
    return { scheme: u.protocol.slice(0, -1), host: u.hostname, port: u.port };
  } catch {
    return null;
  }
}

const isWithin = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

export function resolveRpId(settings: Pick<InstanceSettings, 'rpId' | 'domain'>): string {
  if (settings.rpId) return settings.rpId;
  if (settings.domain) return getDomain(settings.domain, { allowPrivateDomains: true }) ?? settings.domain;
  return 'localhost';
}

export function domainPolicy(settings: InstanceSettings, mode: Mode): DomainPolicy {
  const rpId = resolveRpId(settings);
  const extra = new Set(settings.allowedOrigins);
  const related = new Set(settings.relatedOrigins);

  const isAllowedOrigin = (origin: string): boolean => {
    if (extra.has(origin) || related.has(origin)) return true;
    const o = hostOf(origin);
    if (!o) return false;
    // The instance domain (and, unless switched off, its subdomains), https on the default port only.
    // A wildcard trusts whatever any subdomain serves (WebAuthn §13.4.9): an operator who hosts
    // untrusted content on one sets allowSubdomains=false and lists the trusted origins.
    if (settings.domain && o.scheme === 'https' && o.port === '') {
      if (o.host === settings.domain || (settings.allowSubdomains && isWithin(o.host, settings.domain))) return true;
    }
    // Development: any port on localhost and its subdomains (browsers treat these as secure contexts).
    if (mode === 'development' && isWithin(o.host, 'localhost')) return true;
    return false;
  };

  return {
    rpId,
    relatedOrigins: [...related],
    isAllowedOrigin,
    webauthnOriginProblem(origin) {
      if (!isAllowedOrigin(origin)) return `The origin ${origin} is not an allowed origin of this instance.`;
      if (related.has(origin)) return null;
      const o = hostOf(origin)!;
      if (isWithin(o.host, rpId)) return null;
      return (
        `The origin ${origin} is outside the passkey domain ${rpId}; passkeys of ${rpId} cannot be used there. ` +
        `List it in the related origins setting to publish it at /.well-known/webauthn.`
      );
    },
  };
}

const policies = new WeakMap<InstanceSettings, DomainPolicy>();

/** The policy for the current settings object, built once per settings change. */
export function policyFor(settings: InstanceSettings, mode: Mode): DomainPolicy {
  let p = policies.get(settings);
  if (!p) policies.set(settings, (p = domainPolicy(settings, mode)));
  return p;
}
