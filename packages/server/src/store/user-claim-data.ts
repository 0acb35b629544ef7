/** What JWT template shortcodes may name about a user, read in one place. */
import type { Db } from './types.js';

export interface UserClaimData {
  id: string;
  username: string | null;
  /** The first email address added: Latchkey has no separate "primary" choice yet. */
  primaryEmailAddress: string | null;
}

export async function userClaimData(db: Db, userId: string): Promise<UserClaimData> {
  const identifiers = await db
    .selectFrom('identifiers')
    .select(['type', 'value'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
  return {
    id: userId,
    username: identifiers.find((i) => i.type === 'username')?.value ?? null,
    primaryEmailAddress: identifiers.find((i) => i.type === 'email_address')?.value ?? null,
  };
}
