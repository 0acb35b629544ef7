import type { Mode } from '../config/index.js';
import type { InstanceSettings } from '../settings/index.js';

/** The settings a sign-in UI needs, in the frontend API's environment shape. */
export function environmentJson(s: InstanceSettings, mode: Mode) {
  return {
    object: 'environment',
    id: 'env_instance',
    auth_config: { object: 'auth_config', single_session_mode: !s.multiSession },
    display_config: {
      object: 'display_config',
      application_name: s.applicationName,
      instance_environment_type: mode,
      // Clerk's place for the instance's colours; a colour left unset is left out (the default look).
      theme: {
        general: {
          ...(s.brandColor && { color: s.brandColor }),
          ...(s.backgroundColor && { background_color: s.backgroundColor }),
        },
      },
    },
    user_settings: {
      attributes: {
        passkey: { enabled: s.passkeysEnabled, required: false, used_for_first_factor: s.passkeysEnabled, first_factors: ['passkey'] },
        username: { enabled: true, required: false, used_for_first_factor: true },
        // Clerk's shape: which first factors an email address can be used with.
        email_address: { enabled: true, required: false, used_for_first_factor: true, first_factors: s.emailCodeSignIn ? ['email_code'] : [] },
        // Recovery codes (docs/recovery.md): a first factor after the identifier, ending in a limited session.
        recovery_code: { enabled: s.recoveryCodes, required: false, used_for_first_factor: s.recoveryCodes, first_factors: s.recoveryCodes ? ['recovery_code'] : [] },
      },
      passkey_settings: { allow_autofill: s.allowAutofill, show_sign_in_button: s.showSignInButton },
      sign_in: { second_factor: { required: false } },
      sign_up: { mode: 'public' },
    },
    maintenance_mode: false,
  };
}
