import { useState } from 'react';
import { api, fmtTime } from '../api';
import { Notice, Page, useLoad } from '../ui';

/** A one-time link for the next administrator, shown once. */
function Invite() {
  const [invite, setInvite] = useState<{ url: string; expire_at: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <div className="card">
      <h2>Administrators</h2>
      <p className="muted">Invite someone to administer this server: they open the link, create a passkey and are in. The link works once, for one hour.</p>
      <button onClick={() => api('POST', '/invites').then(setInvite, setError)}>Invite an administrator</button>
      {invite && (
        <div className="reveal" role="status">
          <p>Send this link (shown only now; valid until {fmtTime(invite.expire_at)}):</p>
          <code className="secret" data-invite>
            {invite.url}
          </code>
        </div>
      )}
      <Notice error={error} />
    </div>
  );
}

interface Overview {
  users: number;
  passkeys: { total: number; synced: number; device_bound: number };
  sign_ins_today: number;
  failures_today: number;
  sign_ins_per_day: { day: string; sign_ins: number; failures: number }[];
  failure_reasons: { reason: string; count: number }[];
}

function Chart({ days }: { days: Overview['sign_ins_per_day'] }) {
  const max = Math.max(1, ...days.map((d) => d.sign_ins + d.failures));
  const w = 28;
  const h = 120;
  return (
    <svg className="chart" viewBox={`0 0 ${days.length * w} ${h + 20}`} role="img" aria-label="Sign-ins per day, last 14 days">
      {days.map((d, i) => {
        const ok = (d.sign_ins / max) * h;
        const bad = (d.failures / max) * h;
        return (
          <g key={d.day}>
            <title>{`${d.day}: ${d.sign_ins} sign-ins, ${d.failures} failed`}</title>
            <rect x={i * w + 4} y={h - ok} width={w - 8} height={ok} className="bar-ok" />
            <rect x={i * w + 4} y={h - ok - bad} width={w - 8} height={bad} className="bar-bad" />
            {i % 2 === 1 && (
              <text x={i * w + w / 2} y={h + 14} textAnchor="middle">
                {d.day.slice(8)}
              </text>
            )}
          </g>
        );
      })}
      <line x1="0" x2={days.length * w} y1={h} y2={h} className="axis" />
    </svg>
  );
}

export function OverviewPage() {
  const { data, error } = useLoad(() => api<Overview>('GET', '/overview'));
  if (!data) return <Page title="Overview"><Notice error={error} />{!error && <p>Loading…</p>}</Page>;
  const syncedShare = data.passkeys.total ? Math.round((data.passkeys.synced / data.passkeys.total) * 100) : 0;
  return (
    <Page title="Overview">
      <div className="stats">
        <div className="stat">
          <span>Users</span>
          <strong data-stat="users">{data.users}</strong>
        </div>
        <div className="stat">
          <span>Passkeys</span>
          <strong data-stat="passkeys">{data.passkeys.total}</strong>
        </div>
        <div className="stat">
          <span>Sign-ins today</span>
          <strong data-stat="sign-ins-today">{data.sign_ins_today}</strong>
        </div>
        <div className="stat">
          <span>Failed today</span>
          <strong>{data.failures_today}</strong>
        </div>
      </div>
      <div className="grid2">
        <div className="card">
          <h2>Sign-ins, last 14 days</h2>
          <Chart days={data.sign_ins_per_day} />
          <p className="legend">
            <span className="key ok" /> completed <span className="key bad" /> failed
          </p>
        </div>
        <div className="card">
          <h2>Synced or device-bound</h2>
          <div className="share" aria-label={`${syncedShare}% synced`}>
            <div style={{ width: `${syncedShare}%` }} />
          </div>
          <p>
            {data.passkeys.synced} synced (backed up by a passkey provider) · {data.passkeys.device_bound} device-bound
          </p>
          <h2>Why sign-ins failed (7 days)</h2>
          {data.failure_reasons.length === 0 ? (
            <p className="muted">No failed sign-ins.</p>
          ) : (
            <ul className="reasons">
              {data.failure_reasons.map((r) => (
                <li key={r.reason}>
                  <code>{r.reason}</code> <span>{r.count}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <Invite />
    </Page>
  );
}
