/**
 * The `__session` cookie on the app's own domain, so the app's server can read the session JWT on
 * same-site requests (page loads, form posts) without the SDK attaching a header.
 */
const NAME = '__session';

function hasDocument(): boolean {
  return typeof document !== 'undefined' && typeof location !== 'undefined';
}

function attributes(): string {
  // Secure only on https: browsers drop Secure cookies set from http://localhost pages.
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  return `; Path=/; SameSite=Lax${secure}`;
}

export function writeSessionCookie(jwt: string): void {
  if (!hasDocument()) return;
  document.cookie = `${NAME}=${encodeURIComponent(jwt)}${attributes()}`;
}

export function clearSessionCookie(): void {
  if (!hasDocument()) return;
  document.cookie = `${NAME}=; Max-Age=0${attributes()}`;
}
