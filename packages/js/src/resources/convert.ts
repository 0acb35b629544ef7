/** Small conversions shared by the resource mappers. */

/** Unix milliseconds (the wire's timestamps) to Date; absent stays null. */
export function toDate(ms: number | null | undefined): Date | null {
  return typeof ms === 'number' ? new Date(ms) : null;
}

/** For fields Clerk types as always-present Dates; the epoch when a server omits one. */
export function toDateOrEpoch(ms: number | null | undefined): Date {
  return toDate(ms) ?? new Date(0);
}

/** An id as one URL path segment (ids are opaque; never let one add a path). */
export function seg(id: string | undefined): string {
  return encodeURIComponent(id ?? '');
}
