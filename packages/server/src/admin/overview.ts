/**
 * The dashboard's overview: users, passkeys (synced or device-bound), sign-ins today and per day
 * for two weeks, and why ceremonies failed in the last week — read from the audit log.
 */
import type { Deps } from '../deps.js';
import * as overview from '../store/overview.js';
import { nameFromUserAgent } from '../webauthn/naming.js';
import { listSessions } from './sessions.js';

const DAY_MS = 24 * 60 * 60 * 1000;
export const CHART_DAYS = 14;
/** Enough to draw the chart on a busy instance without reading the whole log. */
const MAX_EVENTS = 20_000;

export interface Overview {
  users: number;
  passkeys: { total: number; synced: number; device_bound: number };
  sign_ins_today: number;
  failures_today: number;
  /** Oldest first: one entry per UTC day, today last. */
  sign_ins_per_day: { day: string; sign_ins: number; failures: number }[];
  /** Failure reasons of the last 7 days, most frequent first. */
  failure_reasons: { reason: string; count: number }[];
}

export async function readOverview(deps: Deps): Promise<Overview> {
  const now = deps.clock.now();
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const since = today - (CHART_DAYS - 1) * DAY_MS;
  const c = await overview.counts(deps.store.db);
  const events = await overview.eventTimes(deps.store.db, ['sign_in.completed', 'sign_in.failed'], since, MAX_EVENTS);
  const days = Array.from({ length: CHART_DAYS }, (_, i) => ({ day: new Date(since + i * DAY_MS).toISOString().slice(0, 10), sign_ins: 0, failures: 0 }));
  const reasons = new Map<string, number>();
  for (const e of events) {
    const slot = days[Math.floor((e.created_at - since) / DAY_MS)];
    const ok = e.type === 'sign_in.completed';
    if (slot) ok ? slot.sign_ins++ : slot.failures++;
    if (!ok && e.created_at >= today - 6 * DAY_MS) {
      const reason = reasonOf(e.type, e.data);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  const last = days[days.length - 1]!;
  return {
    users: c.users,
    passkeys: { total: c.passkeys, synced: c.synced, device_bound: c.passkeys - c.synced },
    sign_ins_today: last.sign_ins,
    failures_today: last.failures,
    sign_ins_per_day: days,
    failure_reasons: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count).slice(0, 8),
  };
}

/** A refused sign-in records the error code it was refused with (sign-in/flows.ts). */
function reasonOf(type: string, data: string): string {
  try {
    const d = JSON.parse(data) as { reason?: unknown; code?: unknown };
    if (typeof d.reason === 'string') return d.reason;
    if (typeof d.code === 'string') return d.code;
  } catch {
    /* fall through */
  }
  return type;
}

/**
 * A user's sessions, newest first, each with the device and IP it was created from (read from
 * its `session.created` audit event; sessions are not stored with either, and an event past the
 * retention period leaves them unknown).
 */
export async function userSessionsWithDevices(deps: Deps, userId: string) {
  const page = await listSessions(deps, { userId, limit: 100 });
  const origins = new Map<string, { ip: string | null; device: string | null }>();
  for (const e of await overview.sessionOrigins(deps.store.db, userId)) {
    try {
      const id = (JSON.parse(e.data) as { session_id?: unknown }).session_id;
      if (typeof id === 'string') origins.set(id, { ip: e.ip, device: e.user_agent ? nameFromUserAgent(e.user_agent) : null });
    } catch {
      /* an event without a session id names no session */
    }
  }
  return page.data.reverse().map((s) => ({ ...s, ...(origins.get(s.id) ?? { ip: null, device: null }) }));
}
