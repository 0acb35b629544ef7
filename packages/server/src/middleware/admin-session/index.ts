/**
 * The dashboard's authentication: the administrator-session cookie (HttpOnly, SameSite=Strict,
 * Secure over https), checked by the administrators flow (401 `admin_session_required`). The
 * request then acts as the administrator: the audit context names them as the actor.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { type AdminIdentity, ADMIN_MAX_MS, authenticateAdmin } from '../../admin/administrators.js';
import type { AuditContext } from '../../audit/index.js';
import type { Deps } from '../../deps.js';
import { clientIp } from '../rate-limit/index.js';

export type AdminSessionEnv = { Variables: { deps: Deps; admin: AdminIdentity; actor: { id: string; name: string }; audit: AuditContext } };

/** `__Host-` over https: the browser then refuses it from any subdomain or without Secure. */
export function adminCookieName(publicUrl: string): string {
  return publicUrl.startsWith('https:') ? '__Host-latchkey_admin' : 'latchkey_admin';
}

export function setAdminCookie(c: Context, publicUrl: string, token: string): void {
  setCookie(c, adminCookieName(publicUrl), token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: publicUrl.startsWith('https:'),
    path: '/',
    maxAge: Math.floor(ADMIN_MAX_MS / 1000),
  });
}

export function clearAdminCookie(c: Context, publicUrl: string): void {
  deleteCookie(c, adminCookieName(publicUrl), { path: '/', secure: publicUrl.startsWith('https:') });
}

/** What the audit log records of a dashboard request, before anyone is signed in. */
export function requestContext(c: Context, deps: Deps): AuditContext {
  return { ip: clientIp(c, deps.config.trustProxy), userAgent: c.req.header('user-agent') ?? null };
}

export function adminSession(): MiddlewareHandler<AdminSessionEnv> {
  return async function adminSession(c, next) {
    const deps = c.var.deps;
    const admin = await authenticateAdmin(deps, getCookie(c, adminCookieName(deps.config.publicUrl)));
    c.set('admin', admin);
    c.set('actor', { id: admin.id, name: admin.name });
    c.set('audit', { ...requestContext(c, deps), actor: { type: 'admin', id: admin.id } });
    await next();
  };
}
