import { useState } from 'react';
import { api } from '../api';
import { Notice, Page, Switch, useLoad } from '../ui';
import { useSettings } from './settings-form';

interface DomainInfo {
  domain: string | null;
  rp_id: string;
  rp_id_explicit: boolean;
  mode: string;
  well_known_url: string;
}
interface Check {
  origin: string;
  works: boolean;
  verdict: string;
  explanation: string;
}

const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);

export function DomainsPage() {
  const { settings, error, saved, save } = useSettings();
  const info = useLoad(() => api<DomainInfo>('GET', '/domains'), [settings]);
  const [draft, setDraft] = useState<Record<string, string> | null>(null);
  const [origin, setOrigin] = useState('');
  const [check, setCheck] = useState<Check | null>(null);
  const [checkError, setCheckError] = useState<unknown>(null);
  if (!settings) return <Page title="Domains"><Notice error={error} />{!error && <p>Loading…</p>}</Page>;
  const d = draft ?? {
    domain: settings.domain ?? '',
    rp_id: settings.rp_id ?? '',
    allowed_origins: settings.allowed_origins.join('\n'),
    related_origins: settings.related_origins.join('\n'),
  };
  const set = (k: string, v: string) => setDraft({ ...d, [k]: v });
  const i = info.data;

  return (
    <Page title="Domains" intro="Where passkeys of this instance work: the domain, the RP ID passkeys are bound to, and the origins allowed to call the API.">
      {i && (
        <div className="card explain">
          <p>
            <strong>RP ID: {i.rp_id}</strong>
          </p>
          <p>
            {i.rp_id_explicit
              ? `Set explicitly. Passkeys belong to ${i.rp_id} and work on it and its subdomains.`
              : i.domain
                ? `The registrable domain of ${i.domain}. Passkeys made on any page of ${i.rp_id} work on every subdomain of it (app.${i.rp_id}, accounts.${i.rp_id}, …).`
                : `No domain is set, so this ${i.mode} instance uses localhost: passkeys work on http://localhost and *.localhost pages only.`}
          </p>
        </div>
      )}
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void save(
            {
              domain: d.domain!.trim() || null,
              rp_id: d.rp_id!.trim() || null,
              allowed_origins: lines(d.allowed_origins!),
              related_origins: lines(d.related_origins!),
            },
            'Domains saved',
          ).then((ok) => ok && setDraft(null));
        }}
      >
        <label>
          Instance domain
          <input name="domain" placeholder="example.com" value={d.domain} onChange={(e) => set('domain', e.target.value)} />
        </label>
        <label>
          RP ID (optional)
          <input name="rp_id" placeholder="derived from the domain" value={d.rp_id} onChange={(e) => set('rp_id', e.target.value)} />
        </label>
        <Switch
          name="allow_subdomains"
          label="Trust every subdomain"
          hint="Allows https://*.domain. Switch off if any subdomain serves content you do not control, and list trusted origins below."
          checked={settings.allow_subdomains}
          onChange={(v) => save({ allow_subdomains: v }, `Subdomains ${v ? 'trusted' : 'no longer trusted'}`)}
        />
        <label>
          Extra allowed origins (one per line)
          <textarea name="allowed_origins" rows={3} placeholder="https://app.example.net" value={d.allowed_origins} onChange={(e) => set('allowed_origins', e.target.value)} />
        </label>
        <label>
          Related origins (one per line), published at {i?.well_known_url ?? '/.well-known/webauthn'}
          <textarea name="related_origins" rows={3} placeholder="https://example.co.uk" value={d.related_origins} onChange={(e) => set('related_origins', e.target.value)} />
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={draft === null}>
            Save
          </button>
        </div>
      </form>
      <Notice error={error} ok={saved} />

      <h2>Origin checker</h2>
      <form
        className="card"
        onSubmit={async (e) => {
          e.preventDefault();
          setCheckError(null);
          try {
            setCheck(await api<Check>('POST', '/domains/check', { origin }));
          } catch (err) {
            setCheck(null);
            setCheckError(err);
          }
        }}
      >
        <label>
          Would passkeys work on this page's origin?
          <span className="inline">
            <input name="origin" placeholder="https://staging2.example.com" value={origin} onChange={(e) => setOrigin(e.target.value)} />
            <button type="submit">Check</button>
          </span>
        </label>
        {check && (
          <div className={`check ${check.works ? 'good' : 'bad'}`} data-verdict={check.verdict}>
            <strong>{check.works ? 'Passkeys work here' : 'Passkeys do not work here'}</strong> <span className={`tag ${check.works ? "" : "bad"}`}>{check.verdict.replace(/_/g, ' ')}</span>
            <p>{check.explanation}</p>
          </div>
        )}
        <Notice error={checkError} />
      </form>
    </Page>
  );
}
