/**
 * Who is acting, for the audit log: the actor (a secret key, an admin), and the request's IP and
 * user agent. Passed explicitly down to each audited write — a frontend call's `Caller` has this
 * shape already. Not carried in AsyncLocalStorage: on Node 20 that installs a promise hook for the
 * whole process, a cost every sign-in would pay.
 */
export type ActorType = 'user' | 'secret_key' | 'admin' | 'system';

export interface AuditContext {
  /** Set for backend API calls (the secret key) and admin actions; frontend calls act as the user. */
  actor?: { type: ActorType; id: string | null };
  ip?: string | null;
  userAgent?: string | null | undefined;
}
