/**
 * Keyset pagination for the backend API's lists: rows in (created_at, id) order, a page starting
 * after a given row. A keyset (not an offset) keeps pages stable while rows are inserted: a new
 * row lands after every row already handed out, so nothing is skipped or repeated.
 */
import type { ExpressionBuilder } from 'kysely';

export interface Cursor {
  created_at: number;
  id: string;
}

/** `(created_at, id) > (cursor.created_at, cursor.id)`, spelled out: SQLite and PostgreSQL both index it. */
export function after<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, cursor: Cursor) {
  const e = eb as unknown as ExpressionBuilder<{ t: { created_at: number; id: string } }, 't'>;
  return e.or([e('created_at', '>', cursor.created_at), e.and([e('created_at', '=', cursor.created_at), e('id', '>', cursor.id)])]) as never;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  total_count: number;
}

/** Turns `limit + 1` fetched rows into a page (the extra row only says there is more). */
export function toPage<T>(rows: T[], limit: number, total: number): Page<T> {
  return { data: rows.slice(0, limit), has_more: rows.length > limit, total_count: total };
}
