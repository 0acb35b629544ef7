import type { EnvironmentResource } from './types.js';
import type { EnvironmentJSON } from './wire.js';

/**
 * Maps `GET /v1/environment`. Absent settings default to "on": a server that predates a switch
 * behaves as if it had never turned the feature off.
 */
export function environmentFromJSON(json: EnvironmentJSON | null | undefined): EnvironmentResource {
  const settings = json?.user_settings;
  return {
    userSettings: {
      attributes: {
        passkey: { enabled: settings?.attributes?.passkey?.enabled ?? true },
        // Off unless the server says so: an older server has no recovery codes.
        recoveryCode: { enabled: settings?.attributes?.recovery_code?.enabled ?? false },
      },
      passkeySettings: {
        allowAutofill: settings?.passkey_settings?.allow_autofill ?? true,
        showSignInButton: settings?.passkey_settings?.show_sign_in_button ?? true,
      },
    },
    displayConfig: {
      applicationName: json?.display_config?.application_name ?? '',
      brandColor: json?.display_config?.theme?.general?.color ?? null,
      backgroundColor: json?.display_config?.theme?.general?.background_color ?? null,
    },
    // Absent (an older server): single-session, Clerk's default.
    authConfig: { singleSessionMode: json?.auth_config?.single_session_mode ?? true },
  };
}
