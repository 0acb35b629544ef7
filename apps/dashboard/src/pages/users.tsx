import { useState } from 'react';
import { api, fmtTime } from '../api';
import { push } from '../router';
import { Link, Notice, Page, ProviderIcon, useLoad } from '../ui';

interface User {
  id: string;
  username: string | null;
  email_addresses: { id: string; email_address: string }[];
  passkeys: Passkey[];
  banned: boolean;
  last_sign_in_at: number | null;
  created_at: number;
}
interface Passkey {
  id: string;
  name: string;
  provider_name: string;
  device_type: 'multi_device' | 'single_device';
  created_at: number;
  last_used_at: number | null;
}
interface Session {
  id: string;
  status: string;
  device: string | null;
  ip: string | null;
  last_active_at: number;
  created_at: number;
}

const label = (u: User) => u.username ?? u.email_addresses[0]?.email_address ?? u.id;

export function UsersPage() {
  const [query, setQuery] = useState('');
  const [applied, setApplied] = useState('');
  const [cursor, setCursor] = useState<string[]>([]);
  const after = cursor[cursor.length - 1];
  const { data, error } = useLoad(
    () => api<{ data: User[]; has_more: boolean; total_count: number }>('GET', `/v1/users?limit=20${applied ? `&query=${encodeURIComponent(applied)}` : ''}${after ? `&starting_after=${after}` : ''}`),
    [applied, after],
  );
  return (
    <Page title="Users">
      <form
        className="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setCursor([]);
          setApplied(query.trim());
        }}
      >
        <input name="query" type="search" placeholder="Search usernames and email addresses" value={query} onChange={(e) => setQuery(e.target.value)} />
        <button type="submit">Search</button>
      </form>
      <Notice error={error} />
      {data && (
        <>
          <p className="muted">{data.total_count} user{data.total_count === 1 ? '' : 's'}</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>User</th>
                  <th>Passkeys</th>
                  <th>Last sign-in</th>
                  <th>Created</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {data.data.map((u) => (
                  <tr key={u.id}>
                    <td>
                      <Link to={`/users/${encodeURIComponent(u.id)}`}>{label(u)}</Link>
                    </td>
                    <td>{u.passkeys.length}</td>
                    <td>{fmtTime(u.last_sign_in_at)}</td>
                    <td>{fmtTime(u.created_at)}</td>
                    <td>{u.banned ? <span className="tag bad">banned</span> : <span className="tag">active</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="pager">
            <button disabled={cursor.length === 0} onClick={() => setCursor(cursor.slice(0, -1))}>
              Previous
            </button>
            <button disabled={!data.has_more} onClick={() => setCursor([...cursor, data.data[data.data.length - 1]!.id])}>
              Next
            </button>
          </div>
        </>
      )}
    </Page>
  );
}

export function UserPage({ id }: { id: string }) {
  const user = useLoad(() => api<User>('GET', `/v1/users/${encodeURIComponent(id)}`), [id]);
  const sessions = useLoad(() => api<{ data: Session[] }>('GET', `/users/${encodeURIComponent(id)}/sessions`), [id]);
  const [error, setError] = useState<unknown>(null);
  const [ok, setOk] = useState<string | null>(null);
  const act = async (f: () => Promise<unknown>, done: string) => {
    setError(null);
    setOk(null);
    try {
      await f();
      setOk(done);
      user.reload();
      sessions.reload();
    } catch (e) {
      setError(e);
    }
  };
  const u = user.data;
  if (!u) return <Page title="User"><Notice error={user.error} />{!user.error && <p>Loading…</p>}</Page>;
  return (
    <Page title={label(u)}>
      <p>
        <Link to="/users">← All users</Link>
      </p>
      <div className="card">
        <h2>Identifiers</h2>
        <dl className="facts">
          <dt>User id</dt>
          <dd>
            <code>{u.id}</code>
          </dd>
          <dt>Username</dt>
          <dd>{u.username ?? '—'}</dd>
          <dt>Email</dt>
          <dd>{u.email_addresses.map((e) => e.email_address).join(', ') || '—'}</dd>
          <dt>Created</dt>
          <dd>{fmtTime(u.created_at)}</dd>
          <dt>Status</dt>
          <dd>{u.banned ? <span className="tag bad">banned</span> : <span className="tag">active</span>}</dd>
        </dl>
        <div className="actions">
          {u.banned ? (
            <button onClick={() => act(() => api('POST', `/v1/users/${u.id}/unban`), 'Ban lifted.')}>Unban</button>
          ) : (
            <button className="danger" onClick={() => act(() => api('POST', `/v1/users/${u.id}/ban`), 'User banned; their sessions are revoked.')}>
              Ban
            </button>
          )}
          <button
            className="danger"
            onClick={() => {
              if (!window.confirm(`Delete ${label(u)} with their passkeys and sessions? This cannot be undone.`)) return;
              void api('DELETE', `/v1/users/${u.id}`).then(() => push('/users'), setError);
            }}
          >
            Delete user
          </button>
        </div>
        <Notice error={error} ok={ok} />
      </div>

      <div className="card">
        <h2>Passkeys</h2>
        {u.passkeys.length === 0 ? (
          <p className="muted">No passkeys.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Provider</th>
                  <th>Kind</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {u.passkeys.map((p) => (
                  <tr key={p.id} data-passkey={p.id}>
                    <td>{p.name}</td>
                    <td>
                      <span className="provider">
                        <ProviderIcon name={p.provider_name} />
                        {p.provider_name}
                      </span>
                    </td>
                    <td>{p.device_type === 'multi_device' ? 'Synced' : 'Device-bound'}</td>
                    <td>{fmtTime(p.created_at)}</td>
                    <td>{fmtTime(p.last_used_at)}</td>
                    <td>
                      <button className="danger small" onClick={() => act(() => api('DELETE', `/v1/users/${u.id}/passkeys/${p.id}`), `Passkey “${p.name}” deleted.`)}>
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>

      <div className="card">
        <h2>Sessions</h2>
        {!sessions.data?.data.length ? (
          <p className="muted">No sessions.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Device</th>
                  <th>IP</th>
                  <th>Last active</th>
                  <th>Status</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {sessions.data.data.map((s) => (
                  <tr key={s.id} data-session={s.id}>
                    <td>{s.device ?? 'Unknown device'}</td>
                    <td>{s.ip ?? '—'}</td>
                    <td>{fmtTime(s.last_active_at)}</td>
                    <td>
                      <span className={`tag ${s.status === 'active' ? '' : 'muted'}`}>{s.status}</span>
                    </td>
                    <td>
                      {s.status === 'active' && (
                        <button className="danger small" onClick={() => act(() => api('POST', `/v1/sessions/${s.id}/revoke`), 'Session revoked: that browser is signed out at its next token refresh.')}>
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
      </div>
    </Page>
  );
}
