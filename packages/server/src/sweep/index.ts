/**
 * The sweep: deletes what no one needs any more — audit events past the retention setting,
 * abandoned sign-ins and sign-ups, expired passkey registrations, sessions over for longer than a
 * grace period, and idle clients left without sessions. Each batch is one short statement of its
 * own (no long transaction), and the sweep yields to other work between batches, so it never
 * holds locks a sign-in waits on for more than one batch. Run by a timer in the server
 * (`LATCHKEY_SWEEP_INTERVAL`) and by `latchkey sweep`; running it twice at once is harmless.
 */
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import * as admins from '../store/administrators.js';
import type { Deps } from '../deps.js';
import * as auditEvents from '../store/audit-events.js';
import * as clients from '../store/clients.js';
import * as registrations from '../store/passkey-registrations.js';
import * as sessions from '../store/sessions.js';
import * as signIns from '../store/sign-ins.js';
import * as signUps from '../store/sign-ups.js';
import type { Db } from '../store/types.js';

const DAY_MS = 24 * 3600 * 1000;
/** Sessions that are over stay listed in the backend API this long before they are deleted. */
export const SESSION_GRACE_MS = 7 * DAY_MS;
/** A client (browser) with no session and no activity for this long is deleted. */
export const CLIENT_IDLE_MS = 7 * DAY_MS;
export const DEFAULT_BATCH = 500;

export interface SweepCounts {
  audit_events: number;
  sign_ins: number;
  sign_ups: number;
  passkey_registrations: number;
  sessions: number;
  clients: number;
  /** Dashboard ceremonies, setup/invite links and administrator sessions that are over. */
  administrator_rows: number;
}

/** Deletes in batches until a batch comes back short; returns the total. */
async function inBatches(batch: number, removeBatch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await removeBatch(batch);
    total += n;
    if (n < batch) return total;
    await yieldToOthers();
  }
}

export async function sweep(deps: Pick<Deps, 'store' | 'settings' | 'clock'>, o: { batch?: number } = {}): Promise<SweepCounts> {
  const batch = o.batch ?? DEFAULT_BATCH;
  const settings = await deps.settings.get();
  const now = deps.clock.now();
  const db: Db = deps.store.db;
  const counts: SweepCounts = {
    audit_events: await inBatches(batch, (n) => auditEvents.removeOlderThan(db, now - settings.auditRetentionDays * DAY_MS, n)),
    sign_ins: await inBatches(batch, (n) => signIns.removeAbandoned(db, now, n)),
    sign_ups: await inBatches(batch, (n) => signUps.removeAbandoned(db, now, n)),
    passkey_registrations: await inBatches(batch, (n) => registrations.removeExpiredBatch(db, now, n)),
    sessions: await inBatches(batch, (n) =>
      sessions.removeOver(db, { endedBefore: now - SESSION_GRACE_MS, idleBefore: now - settings.sessionIdleSeconds * 1000 - SESSION_GRACE_MS }, n),
    ),
    // After sessions: a client whose last session was just swept goes in the same run.
    clients: 0,
    administrator_rows: await admins.sweep(db, now, now - SESSION_GRACE_MS),
  };
  counts.clients = await inBatches(batch, (n) => clients.removeIdle(db, now - CLIENT_IDLE_MS, n));
  return counts;
}

/** Sweeps every `intervalMs` in the background; failures are logged and retried next time. */
export function startSweeper(deps: Pick<Deps, 'store' | 'settings' | 'clock' | 'log'>, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = sweep(deps)
      .then((counts) => {
        if (Object.values(counts).some((n) => n > 0)) deps.log('info', 'sweep', { ...counts });
      })
      .catch((err: unknown) => deps.log('warn', 'sweep failed; retrying at the next interval', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
