import { useState } from 'react';
import { api, fmtTime } from '../api';
import { Notice, Page, useLoad } from '../ui';

interface AuditEvent {
  id: string;
  type: string;
  user_id: string | null;
  actor: { type: string | null; id: string | null };
  ip: string | null;
  data: Record<string, unknown>;
  created_at: number;
}

// The types the server records (audit/index.ts).
const TYPES = [
  'settings.updated', 'sign_up.completed', 'sign_in.completed', 'sign_in.failed', 'user.created', 'user.updated', 'user.banned', 'user.unbanned',
  'user.deleted', 'passkey.created', 'passkey.renamed', 'passkey.deleted', 'passkey.counter_regression', 'passkey.verification_failed', 'session.created',
  'session.ended', 'session.revoked', 'signing_key.rotated', 'secret_key.created', 'secret_key.revoked', 'webhook_endpoint.created', 'webhook_endpoint.deleted',
  'administrator.created', 'administrator.invited',
  'administrator.signed_in', 'administrator.sign_in_failed', 'administrator.signed_out',
];

export function AuditPage() {
  const [form, setForm] = useState({ type: '', user: '', since: '', until: '' });
  const [filter, setFilter] = useState(form);
  const [cursor, setCursor] = useState<string[]>([]);
  const after = cursor[cursor.length - 1];
  const q = new URLSearchParams({ order: 'desc', limit: '25' });
  if (filter.type) q.set('type', filter.type);
  if (filter.user) q.set('user_id', filter.user);
  if (filter.since) q.set('since', String(new Date(filter.since).getTime()));
  if (filter.until) q.set('until', String(new Date(filter.until).getTime()));
  if (after) q.set('starting_after', after);
  const { data, error } = useLoad(() => api<{ data: AuditEvent[]; has_more: boolean; total_count: number }>('GET', `/v1/audit_events?${q}`), [q.toString()]);
  return (
    <Page title="Audit log" intro="Every change and sign-in, newest first. Administrators' actions name them as the actor.">
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setCursor([]);
          setFilter(form);
        }}
      >
        <label>
          Type
          <select name="type" value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value })}>
            <option value="">All types</option>
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          User id
          <input name="user_id" value={form.user} placeholder="user_…" onChange={(e) => setForm({ ...form, user: e.target.value.trim() })} />
        </label>
        <label>
          From
          <input name="since" type="datetime-local" value={form.since} onChange={(e) => setForm({ ...form, since: e.target.value })} />
        </label>
        <label>
          Until
          <input name="until" type="datetime-local" value={form.until} onChange={(e) => setForm({ ...form, until: e.target.value })} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <Notice error={error} />
      {data && (
        <>
          <p className="muted">{data.total_count} event{data.total_count === 1 ? '' : 's'}</p>
          <div className="table-wrap">
            <table className="audit">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Event</th>
                  <th>Actor</th>
                  <th>User</th>
                  <th>Details</th>
                </tr>
              </thead>
              <tbody>
                {data.data.map((e) => (
                  <tr key={e.id}>
                    <td>{fmtTime(e.created_at)}</td>
                    <td>
                      <code>{e.type}</code>
                    </td>
                    <td>
                      {e.actor.type}
                      {e.actor.id ? <small> {e.actor.id}</small> : null}
                    </td>
                    <td>{e.user_id ? <small>{e.user_id}</small> : '—'}</td>
                    <td className="details">
                      <small>{Object.entries(e.data).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ')}</small>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="pager">
            <button disabled={cursor.length === 0} onClick={() => setCursor(cursor.slice(0, -1))}>
              Newer
            </button>
            <button disabled={!data.has_more} onClick={() => setCursor([...cursor, data.data[data.data.length - 1]!.id])}>
              Older
            </button>
          </div>
        </>
      )}
    </Page>
  );
}
