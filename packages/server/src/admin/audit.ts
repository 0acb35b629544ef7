/** The audit log as the backend API reads it: filtered by user, type and time, in append order. */
import type { Deps } from '../deps.js';
import { type AuditFilter, count, page } from '../store/audit-events.js';
import { type Page, toPage } from '../store/pagination.js';
import type { AuditEventRow } from '../store/schema.js';

export async function listAuditEvents(deps: Deps, o: AuditFilter & { startingAfter?: number; limit: number; newestFirst?: boolean }): Promise<Page<AuditEventRow>> {
  const { startingAfter, limit, newestFirst, ...filter } = o;
  return deps.store.db.transaction().execute(async (trx) =>
    toPage(await page(trx, { ...filter, afterId: startingAfter ?? null, limit, newestFirst: newestFirst ?? false }), limit, await count(trx, filter)),
  );
}
