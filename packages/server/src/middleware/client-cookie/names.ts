/**
 * The name of the client cookie. With an `https` public URL it is `__Host-client`: browsers then
 * accept it only with `Secure`, `Path=/` and no `Domain`, so neither a sibling subdomain nor a
 * plain-http page of the same host can set or shadow it (cookie tossing would otherwise let an
 * attacker's subdomain plant a client of their choosing — session fixation). Over plain `http`
 * (development) it stays `__client`: a `__Host-` cookie must be `Secure`, which Safari refuses on
 * http://localhost.
 *
 * Transition: a browser that still holds the old `__client` cookie is recognised by it; the next
 * cookie we set uses the new name, and the old one is expired in the same answer.
 */
export const LEGACY_CLIENT_COOKIE = '__client';
export const HOST_CLIENT_COOKIE = '__Host-client';

export function clientCookieName(publicUrl: string): string {
  return publicUrl.startsWith('https:') ? HOST_CLIENT_COOKIE : LEGACY_CLIENT_COOKIE;
}

/** The client token a request carries: the current name first, else the legacy one. */
export function clientTokenOf(cookies: Record<string, string | undefined>): string | undefined {
  return cookies[HOST_CLIENT_COOKIE] || cookies[LEGACY_CLIENT_COOKIE] || undefined;
}
