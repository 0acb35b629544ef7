import { useState } from 'react';
import { api, fmtTime } from '../api';
import { Notice, Page, useLoad } from '../ui';

interface Key {
  id: string;
  name: string;
  mode: string;
  key_hint: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export function KeysPage() {
  const keys = useLoad(() => api<{ data: Key[] }>('GET', '/secret_keys'));
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <Page title="API keys" intro="Secret keys for the backend API (Authorization: Bearer sk_…). A key is shown once, when it is made; only its hash is kept.">
      <form
        className="card inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            const k = await api<Key & { key: string }>('POST', '/secret_keys', { name });
            setCreated({ key: k.key, name: k.name });
            setName('');
            keys.reload();
          } catch (err) {
            setError(err);
          }
        }}
      >
        <label>
          New key's name
          <input name="name" placeholder="billing service" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required />
        </label>
        <button type="submit" className="primary">
          Create key
        </button>
      </form>
      {created && (
        <div className="card reveal" role="status">
          <p>
            <strong>Copy the key “{created.name}” now.</strong> It is not shown again.
          </p>
          <code className="secret" data-secret-key>
            {created.key}
          </code>
          <button onClick={() => void navigator.clipboard?.writeText(created.key)}>Copy</button>
          <button className="link-button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      <Notice error={error ?? keys.error} />
      {keys.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {keys.data.data.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <code>
                      sk_{k.mode}_…{k.key_hint}
                    </code>
                  </td>
                  <td>{fmtTime(k.created_at)}</td>
                  <td>{fmtTime(k.last_used_at)}</td>
                  <td>{k.revoked_at ? <span className="tag bad">revoked</span> : <span className="tag">active</span>}</td>
                  <td>
                    {!k.revoked_at && (
                      <button
                        className="danger small"
                        onClick={() => {
                          if (window.confirm(`Revoke “${k.name}”? Calls with it fail at once.`)) void api('POST', `/secret_keys/${k.id}/revoke`).then(keys.reload, setError);
                        }}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
