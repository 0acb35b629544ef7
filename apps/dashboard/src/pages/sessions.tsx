import { useState } from 'react';
import { fmtDuration } from '../api';
import { Notice, Page } from '../ui';
import { useSettings } from './settings-form';

const FIELDS: [string, string, string][] = [
  ['token_seconds', 'Session token lifetime', 'The short-lived JWT your app servers verify (30–3600 s). The SDK renews it before it expires; a revoked session gets no new one.'],
  ['session_idle_seconds', 'Idle timeout', 'A session unused this long ends (at least 60 s).'],
  ['session_max_seconds', 'Absolute lifetime', 'A session ends this long after sign-in, used or not (at least 60 s).'],
];

export function SessionsSettingsPage() {
  const { settings, error, saved, save } = useSettings();
  const [draft, setDraft] = useState<Record<string, string>>({});
  if (!settings) return <Page title="Sessions"><Notice error={error} />{!error && <p>Loading…</p>}</Page>;
  const changed = Object.keys(draft).length > 0;
  return (
    <Page title="Sessions" intro="How long your users stay signed in. Values are in seconds.">
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          const patch = Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, Number(v)]));
          void save(patch, 'Session lifetimes saved').then((ok) => ok && setDraft({}));
        }}
      >
        {FIELDS.map(([key, label, hint]) => {
          const value = draft[key] ?? String(settings[key]);
          return (
            <label key={key} className="field-row">
              <span>
                <strong>{label}</strong>
                <small>{hint}</small>
              </span>
              <span className="inline">
                <input name={key} type="number" min={1} value={value} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
                <span className="muted unit">{Number(value) > 0 ? fmtDuration(Number(value)) : ''}</span>
              </span>
            </label>
          );
        })}
        <div className="actions">
          <button type="submit" className="primary" disabled={!changed}>
            Save
          </button>
        </div>
      </form>
      <Notice error={error} ok={saved} />
    </Page>
  );
}
