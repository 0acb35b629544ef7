/**
 * Frontend API JSON, exactly as it travels (snake_case, Unix-millisecond timestamps). Fields are
 * optional where DESIGN.md lets the server omit them; the mappers supply defaults.
 */

export interface APIErrorJSON {
  code: string;
  message: string;
  long_message?: string;
  meta?: { param_name?: string };
}

export interface VerificationJSON {
  status: string | null;
  strategy: string | null;
  nonce?: string | null;
  attempts?: number | null;
  expire_at?: number | null;
  error?: APIErrorJSON | null;
  /** Sign-up verifications: `needs_prepare`, `needs_attempt` or `''`. */
  next_action?: string | null;
  supported_strategies?: string[] | null;
}

export interface PasskeyJSON {
  object: 'passkey';
  id: string;
  name: string | null;
  provider_name?: string | null;
  verification: VerificationJSON | null;
  last_used_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface DeletedObjectJSON {
  object: string;
  id?: string;
  deleted: boolean;
}

export interface EmailAddressJSON {
  object: 'email_address';
  id: string;
  email_address: string;
}

export interface UserJSON {
  object: 'user';
  id: string;
  username: string | null;
  primary_email_address_id: string | null;
  email_addresses?: EmailAddressJSON[];
  passkeys?: PasskeyJSON[];
  created_at: number;
  updated_at: number;
}

export interface TokenJSON {
  object: 'token';
  jwt: string;
}

export interface SessionJSON {
  object: 'session';
  id: string;
  status: string;
  user: UserJSON | null;
  last_active_at: number;
  expire_at: number;
  abandon_at?: number | null;
  last_active_token?: TokenJSON | null;
  tasks?: { key: string }[] | null;
  created_at: number;
  updated_at: number;
}

export interface RecoveryCodesJSON {
  object: 'recovery_codes';
  total: number;
  remaining: number;
  created_at: number | null;
  codes: string[] | null;
}

export interface SignInJSON {
  object: 'sign_in';
  id: string;
  status: string | null;
  identifier: string | null;
  supported_first_factors?: Array<{ strategy: string; safe_identifier?: string; email_address_id?: string; primary?: boolean }> | null;
  first_factor_verification: VerificationJSON | null;
  created_session_id: string | null;
}

export interface SignUpJSON {
  object: 'sign_up';
  id: string;
  status: string | null;
  username: string | null;
  email_address: string | null;
  verifications?: { passkey?: VerificationJSON | null; email_address?: VerificationJSON | null } | null;
  /** What still needs verifying, e.g. `['email_address', 'passkey']` (email verification required). */
  unverified_fields?: string[] | null;
  created_session_id: string | null;
  created_user_id?: string | null;
}

export interface ClientJSON {
  object: 'client';
  id: string;
  sessions?: SessionJSON[];
  sign_in: SignInJSON | null;
  sign_up: SignUpJSON | null;
  last_active_session_id: string | null;
  created_at?: number;
  updated_at?: number;
}

export interface EnvironmentJSON {
  user_settings?: {
    attributes?: { passkey?: { enabled?: boolean }; recovery_code?: { enabled?: boolean } };
    passkey_settings?: { allow_autofill?: boolean; show_sign_in_button?: boolean };
  };
  display_config?: { application_name?: string; theme?: { general?: { color?: string; background_color?: string } } };
  auth_config?: { single_session_mode?: boolean };
}

export interface SessionActivityJSON {
  object: 'session';
  id: string;
  status: string;
  last_active_at: number;
  expire_at: number;
  abandon_at?: number | null;
  latest_activity?: null;
  created_at: number;
}
