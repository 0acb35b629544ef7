import { useState } from 'react';
import { api, fmtTime } from '../api';
import { Notice, Page, useLoad } from '../ui';

interface Endpoint {
  id: string;
  url: string;
  description: string;
  event_types: string[];
  secret?: string;
  created_at: number;
}
interface Delivery {
  id: string;
  event_type: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  response_status: number | null;
  error: string | null;
  created_at: number;
}

function Deliveries({ endpoint }: { endpoint: Endpoint }) {
  const log = useLoad(() => api<{ data: Delivery[] }>('GET', `/v1/webhook_endpoints/${endpoint.id}/deliveries?limit=20`), [endpoint.id]);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <div className="deliveries">
      <div className="actions">
        <button
          onClick={async () => {
            setError(null);
            try {
              await api('POST', `/v1/webhook_endpoints/${endpoint.id}/test`);
              setNote('Test event queued; it appears below once delivered.');
              log.reload();
            } catch (e) {
              setError(e);
            }
          }}
        >
          Send test event
        </button>
        <button onClick={log.reload}>Refresh log</button>
      </div>
      <Notice error={error} ok={note} />
      {!log.data?.data.length ? (
        <p className="muted">No deliveries yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>Event</th>
                <th>Attempt</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {log.data.data.map((d) => (
                <tr key={d.id}>
                  <td>{fmtTime(d.created_at)}</td>
                  <td>
                    <code>{d.event_type}</code>
                  </td>
                  <td>{d.attempt}</td>
                  <td>
                    <span className={`tag ${d.status === 'failed' ? 'bad' : ''}`}>{d.status}</span> {d.response_status ?? ''} {d.error && <small>{d.error}</small>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function WebhooksPage() {
  const endpoints = useLoad(() => api<{ data: Endpoint[] }>('GET', '/v1/webhook_endpoints'));
  const [url, setUrl] = useState('');
  const [created, setCreated] = useState<Endpoint | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <Page title="Webhooks" intro="Endpoints that receive user, session and passkey events, signed with Standard Webhooks signatures.">
      <form
        className="card inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            setCreated(await api<Endpoint>('POST', '/v1/webhook_endpoints', { url }));
            setUrl('');
            endpoints.reload();
          } catch (err) {
            setError(err);
          }
        }}
      >
        <label>
          Endpoint URL
          <input name="url" type="url" placeholder="https://app.example.com/webhooks/latchkey" value={url} onChange={(e) => setUrl(e.target.value)} required />
        </label>
        <button type="submit" className="primary">
          Add endpoint
        </button>
      </form>
      {created?.secret && (
        <div className="card reveal" role="status">
          <p>
            <strong>Signing secret for {created.url}</strong> — copy it into your receiver now.
          </p>
          <code className="secret">{created.secret}</code>
          <button className="link-button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      <Notice error={error ?? endpoints.error} />
      {endpoints.data?.data.length === 0 && <p className="muted">No endpoints yet.</p>}
      {endpoints.data?.data.map((ep) => (
        <div className="card" key={ep.id}>
          <div className="endpoint-head">
            <div>
              <strong className="break">{ep.url}</strong>
              <small className="muted"> {ep.event_types.length ? ep.event_types.join(', ') : 'all events'}</small>
            </div>
            <div className="actions">
              <button onClick={() => setOpen(open === ep.id ? null : ep.id)}>{open === ep.id ? 'Hide log' : 'Delivery log'}</button>
              <button
                className="danger"
                onClick={() => {
                  if (window.confirm(`Delete the endpoint ${ep.url} and its delivery log?`)) void api('DELETE', `/v1/webhook_endpoints/${ep.id}`).then(endpoints.reload, setError);
                }}
              >
                Delete
              </button>
            </div>
          </div>
          {open === ep.id && <Deliveries endpoint={ep} />}
        </div>
      ))}
    </Page>
  );
}
