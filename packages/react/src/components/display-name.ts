import type { UserResource } from '@latchkey/js';

/** How the components name an account: username, else email address, else its id. */
export function displayName(user: UserResource | null | undefined): string {
  if (!user) return '';
  return user.username ?? user.primaryEmailAddress?.emailAddress ?? user.emailAddresses[0]?.emailAddress ?? user.id;
}

/** One letter for the avatar, two for a name in parts ("ada.lovelace" → "AL"). */
export function initials(user: UserResource | null | undefined): string {
  const name = displayName(user).replace(/@.*/, '');
  const parts = name.split(/[\s._-]+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0]![0]! + parts[1]![0]! : name.slice(0, 1);
  return letters.toUpperCase() || '?';
}
