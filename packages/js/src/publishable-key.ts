import { LatchkeyRuntimeError } from './errors.js';

const PREFIXES = ['pk_test_', 'pk_live_'] as const;

export interface PublishableKey {
  instanceType: 'development' | 'production';
  /** `host[:port][/path]` as encoded in the key. */
  frontendApiHost: string;
}

/**
 * Decodes a key of the form `pk_test_` / `pk_live_` + base64(`<host[:port]>$`), the same layout as
 * Clerk's, so keys minted for either look alike. The trailing `$` guards against truncated keys.
 * @example parsePublishableKey('pk_test_bG9jYWxob3N0OjMwMDAk') // { frontendApiHost: 'localhost:3000', ... }
 */
export function parsePublishableKey(key: string): PublishableKey {
  const prefix = PREFIXES.find((p) => key.startsWith(p));
  if (!prefix) {
    throw invalid(`Publishable key must start with pk_test_ or pk_live_ (got "${key.slice(0, 8)}…").`);
  }
  let decoded: string;
  try {
    decoded = atob(toStandardBase64(key.slice(prefix.length)));
  } catch {
    throw invalid('Publishable key is not valid base64 after its pk_test_/pk_live_ prefix.');
  }
  if (!decoded.endsWith('$') || decoded.length < 2) {
    throw invalid('Publishable key does not decode to "<host>$"; copy the whole key from the dashboard.');
  }
  return {
    instanceType: prefix === 'pk_live_' ? 'production' : 'development',
    frontendApiHost: decoded.slice(0, -1),
  };
}

/**
 * Turns a host (optionally with port and path) into a base URL. `localhost` and `*.localhost` are
 * secure contexts served over plain http in development; everything else must be https.
 */
export function frontendApiUrlFromHost(hostAndPath: string): string {
  const host = (hostAndPath.split('/')[0] ?? '').replace(/:\d+$/, '').toLowerCase();
  const scheme = host === 'localhost' || host.endsWith('.localhost') ? 'http' : 'https';
  return stripTrailingSlash(`${scheme}://${hostAndPath}`);
}

/** Picks the base URL: an explicit `frontendApi` wins over the key. */
export function resolveFrontendApi(publishableKey: string | undefined, frontendApi: string | undefined): string {
  if (frontendApi) {
    return /^https?:\/\//i.test(frontendApi) ? stripTrailingSlash(frontendApi) : frontendApiUrlFromHost(frontendApi);
  }
  if (!publishableKey) {
    throw invalid('Pass a publishable key (pk_test_… or pk_live_…) or a frontendApi URL.');
  }
  return frontendApiUrlFromHost(parsePublishableKey(publishableKey).frontendApiHost);
}

function toStandardBase64(s: string): string {
  const std = s.replace(/-/g, '+').replace(/_/g, '/');
  return std + '='.repeat((4 - (std.length % 4)) % 4);
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function invalid(message: string): LatchkeyRuntimeError {
  return new LatchkeyRuntimeError(message, { code: 'invalid_configuration' });
}
