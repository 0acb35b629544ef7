import type { ReactNode } from 'react';
import { useLatchkey, useUser } from '../hooks.js';
import type { Appearance } from '../ui/appearance.js';
import type { LatchkeyLocalization } from '../ui/localization.js';
import { useUI } from '../ui/use-ui.js';
import { DeleteAccountSection } from './profile/delete-account-section.js';
import { DevicesSection } from './profile/devices-section.js';
import { PasskeysSection } from './profile/passkeys-section.js';
import { ProfileSection } from './profile/profile-section.js';
import { RecoveryCodesSection } from './profile/recovery-codes-section.js';

export type UserProfileSection = 'profile' | 'devices' | 'passkeys' | 'recovery' | 'danger';

export interface UserProfileProps {
  /** Which sections to show, in this order (default: all). */
  sections?: UserProfileSection[];
  /** Called after the account is deleted (the user is signed out by then). */
  afterDelete?: () => void;
  appearance?: Appearance;
  localization?: LatchkeyLocalization;
}

const ALL: UserProfileSection[] = ['profile', 'devices', 'passkeys', 'recovery', 'danger'];

/** The account page: profile (username, email), active devices, passkeys, recovery codes, delete account. */
export function UserProfile({ sections = ALL, afterDelete, appearance, localization }: UserProfileProps): ReactNode {
  const { isLoaded, isSignedIn, user } = useUser();
  const recoveryOn = useLatchkey().environment?.userSettings.attributes.recoveryCode.enabled ?? false;
  const ui = useUI({ appearance, localization });
  const root = ui.root('user-profile');
  if (!isLoaded) {
    return (
      <div {...root} aria-busy="true" data-testid="user-profile-loading">
        {ui.l.loading}
      </div>
    );
  }
  if (!isSignedIn) {
    return (
      <div {...root} data-testid="user-profile-signed-out">
        <p>{ui.l.userProfile.signedOut}</p>
      </div>
    );
  }
  return (
    <div {...root} data-testid="user-profile">
      {sections.map((s) => {
        switch (s) {
          case 'profile':
            return <ProfileSection key={s} ui={ui} user={user} />;
          case 'devices':
            return <DevicesSection key={s} ui={ui} user={user} />;
          case 'passkeys':
            return <PasskeysSection key={s} ui={ui} user={user} />;
          case 'recovery':
            // Only where the instance offers recovery codes (setting `recoveryCodes`).
            return recoveryOn ? <RecoveryCodesSection key={s} ui={ui} user={user} /> : null;
          case 'danger':
            return <DeleteAccountSection key={s} ui={ui} user={user} afterDelete={afterDelete} />;
        }
      })}
    </div>
  );
}
