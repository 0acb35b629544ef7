/**
 * What the middleware learns about the running instance by default: its domain policy and its
 * rate-limit setup, read from the request's `deps` (set by createApp). Middleware take these as
 * options too, so they can be tested on a bare Hono app.
 */
import type { Context } from 'hono';
import type { Deps } from '../deps.js';
import { type DomainPolicy, policyFor } from '../domains/index.js';

type DepsEnv = { Variables: { deps: Deps } };

/** The domain policy for the current settings (rebuilt only when the settings change). */
export async function instancePolicy(c: Context): Promise<DomainPolicy> {
  const deps = (c as Context<DepsEnv>).var.deps;
  return policyFor(await deps.settings.get(), deps.config.mode);
}

export function instanceDeps(c: Context): Deps {
  return (c as Context<DepsEnv>).var.deps;
}
