/**
 * Instance settings through the backend API: read, and change through the settings service,
 * which validates the whole result, stores it, audits it and applies it at once (other processes
 * sharing the database within a second).
 */
import { ZodError } from 'zod';
import type { AuditContext } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { fail } from '../errors/index.js';
import type { InstanceSettings } from '../settings/index.js';
import { toSnake } from '../util/case.js';

export function getSettings(deps: Deps): Promise<InstanceSettings> {
  return deps.settings.get();
}

export async function updateSettings(deps: Deps, ctx: AuditContext, patch: Partial<InstanceSettings>): Promise<InstanceSettings> {
  try {
    return await deps.settings.update(patch, ctx.actor ? `${ctx.actor.type}:${ctx.actor.id}` : 'system', ctx);
  } catch (err) {
    // The service checks the settings as a whole; name the field at fault in the wire's spelling.
    if (err instanceof ZodError) {
      const issue = err.issues[0]!;
      const param = toSnake(String(issue.path[0] ?? 'body'));
      throw fail('form_param_format_invalid', { param, why: `${param}: ${issue.message}` });
    }
    throw err;
  }
}
