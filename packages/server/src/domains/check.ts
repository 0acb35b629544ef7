/**
 * The dashboard's origin checker: would passkeys of this instance work on a page at `origin`,
 * and if not, why — in the words an operator needs. It asks the same policy the ceremonies use
 * (`domainPolicy`), then names the case: an insecure origin, another site, a sibling subdomain
 * outside a narrow RP ID, a satellite domain, or an origin that is simply not listed.
 */
import { getDomain } from 'tldts';
import type { Mode } from '../config/index.js';
import type { InstanceSettings } from '../settings/schema.js';
import { domainPolicy, resolveRpId } from './index.js';
import { originProblem } from './rules.js';

export type OriginVerdict = 'works' | 'related_origin' | 'not_an_origin' | 'insecure_origin' | 'other_site' | 'sibling_subdomain' | 'satellite_domain' | 'not_listed';

export interface OriginCheck {
  origin: string;
  works: boolean;
  verdict: OriginVerdict;
  rp_id: string;
  explanation: string;
}

const isWithin = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);
const isLocal = (host: string) => isWithin(host, 'localhost') || host === '127.0.0.1' || host === '[::1]';
const siteOf = (host: string) => getDomain(host, { allowPrivateDomains: true }) ?? host;

export function checkOrigin(settings: InstanceSettings, mode: Mode, input: string): OriginCheck {
  const origin = input.trim().replace(/\/$/, '');
  const rpId = resolveRpId(settings);
  const answer = (verdict: OriginVerdict, explanation: string): OriginCheck => ({
    origin,
    works: verdict === 'works' || verdict === 'related_origin',
    verdict,
    rp_id: rpId,
    explanation,
  });
  if (originProblem(origin)) return answer('not_an_origin', `"${origin}" is not an origin: write the scheme and host, e.g. https://app.example.com (no path).`);
  const url = new URL(origin);
  const host = url.hostname;
  // WebAuthn runs only in secure contexts: https, or http on localhost (browsers treat it as secure).
  if (url.protocol === 'http:' && !isLocal(host)) {
    return answer('insecure_origin', `${origin} is plain http: browsers offer passkeys only on https pages (and on localhost). Serve it over https.`);
  }
  const policy = domainPolicy(settings, mode);
  const problem = policy.webauthnOriginProblem(origin);
  if (problem === null) {
    return settings.relatedOrigins.includes(origin) && !isWithin(host, rpId)
      ? answer('related_origin', `${origin} is a related origin, published at /.well-known/webauthn: browsers that support related origins (WebAuthn Level 3) let it use passkeys of ${rpId}.`)
      : answer('works', `Passkeys work on ${origin}: its host ${host} is ${host === rpId ? 'the RP ID' : `within the RP ID ${rpId}`}, and the origin is allowed.`);
  }
  if (policy.isAllowedOrigin(origin)) {
    return answer(
      'satellite_domain',
      `${origin} is an allowed origin but on another domain than the RP ID ${rpId} (a satellite domain): passkeys of ${rpId} cannot be used there. Add it to the related origins to publish it at /.well-known/webauthn.`,
    );
  }
  if (siteOf(host) !== siteOf(rpId)) {
    return answer('other_site', `${origin} is another site (${siteOf(host)}) than the RP ID ${rpId} (${siteOf(rpId)}): a passkey belongs to one site, and browsers refuse it elsewhere.`);
  }
  if (!isWithin(host, rpId)) {
    return answer(
      'sibling_subdomain',
      `${host} is a sibling of the RP ID ${rpId}, not inside it: passkeys scoped to ${rpId} do not work on ${host} (as staging1 and staging2 do not share them). Use the parent domain ${siteOf(rpId)} as RP ID to share passkeys across subdomains.`,
    );
  }
  return answer(
    'not_listed',
    `${origin} is inside the RP ID ${rpId} but not an allowed origin of this instance${settings.allowSubdomains ? '' : ' (subdomains are not allowed automatically)'}: add it to the extra allowed origins.`,
  );
}
