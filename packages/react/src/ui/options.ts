import { createContext, useContext } from 'react';
import type { Appearance } from './appearance.js';
import type { LatchkeyLocalization } from './localization.js';

/** What `<LatchkeyProvider>` passes to every prebuilt component (each may override it). */
export interface UIOptions {
  appearance?: Appearance;
  localization?: LatchkeyLocalization;
  /** Where the sign-in page is; links and "Add account" go there. Default `/sign-in`. */
  signInUrl?: string;
  /** Where the sign-up page is. Default `/sign-up`. */
  signUpUrl?: string;
  /** Where `<UserProfile />` is; the user button's "Manage account" goes there. Default `/account`. */
  userProfileUrl?: string;
  /** Where to go after the last account signs out. Default: stay. */
  afterSignOutUrl?: string;
  /** Client-side navigation for the components' links (e.g. `router.push`); full page loads without it. */
  routerPush?: (to: string) => void | Promise<unknown>;
}

export const UIOptionsContext = createContext<UIOptions>({});

export function useUIOptions(): UIOptions {
  return useContext(UIOptionsContext);
}
