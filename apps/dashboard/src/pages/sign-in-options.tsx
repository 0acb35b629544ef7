import { useState } from 'react';
import { Notice, Page, Switch } from '../ui';
import { useSettings } from './settings-form';

export function SignInOptionsPage() {
  const { settings, error, saved, save } = useSettings();
  const [max, setMax] = useState<string | null>(null);
  if (!settings) return <Page title="Sign-in options"><Notice error={error} />{!error && <p>Loading…</p>}</Page>;
  return (
    <Page title="Sign-in options" intro="How your users sign in with passkeys. Each switch takes effect at once for every server sharing this database, and is recorded in the audit log.">
      <div className="card">
        <Switch
          name="passkeys_enabled"
          label="Passkeys"
          hint="Off: every passkey endpoint answers feature_not_enabled and the environment says enabled: false. Existing passkeys are kept."
          checked={settings.passkeys_enabled}
          onChange={(v) => save({ passkeys_enabled: v }, `Passkeys ${v ? 'on' : 'off'}`)}
        />
        <Switch
          name="allow_autofill"
          label="Autofill"
          hint="Offer passkeys in the username field's autofill (conditional mediation)."
          checked={settings.allow_autofill}
          onChange={(v) => save({ allow_autofill: v }, `Autofill ${v ? 'on' : 'off'}`)}
        />
        <Switch
          name="show_sign_in_button"
          label="Passkey button"
          hint="Show a “Sign in with a passkey” button on sign-in forms."
          checked={settings.show_sign_in_button}
          onChange={(v) => save({ show_sign_in_button: v }, `Passkey button ${v ? 'on' : 'off'}`)}
        />
        <label className="field-row">
          <span>
            <strong>User verification</strong>
            <small>Required: the authenticator must check the user (PIN, fingerprint, face). Preferred: asked for, not demanded.</small>
          </span>
          <select name="user_verification" value={settings.user_verification} onChange={(e) => save({ user_verification: e.target.value }, 'User verification changed')}>
            <option value="required">Required</option>
            <option value="preferred">Preferred</option>
          </select>
        </label>
        <form
          className="field-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (max !== null) void save({ max_passkeys_per_user: Number(max) }, 'Passkeys per user changed').then((ok) => ok && setMax(null));
          }}
        >
          <span>
            <strong>Passkeys per user</strong>
            <small>1–100. A user at the limit gets passkey_quota_exceeded.</small>
          </span>
          <span className="inline">
            <input name="max_passkeys_per_user" type="number" min={1} max={100} value={max ?? settings.max_passkeys_per_user} onChange={(e) => setMax(e.target.value)} />
            <button type="submit" disabled={max === null}>
              Save
            </button>
          </span>
        </form>
      </div>
      <Notice error={error} ok={saved} />
    </Page>
  );
}
