import { useAuth } from '@latchkey/react';
import { useCallback, useEffect, useState, type ReactNode } from 'react';

interface ApiResult {
  status: number;
  body: unknown;
}

/** Calls this app's own API with the session token, the way a single-page app calls its backend. */
export function ApiDemoPage(): ReactNode {
  const { isLoaded, getToken } = useAuth();
  const [result, setResult] = useState<ApiResult | null>(null);
  const [error, setError] = useState('');

  const call = useCallback(async () => {
    setError('');
    try {
      const res = await fetch('/api/me', { headers: { Authorization: 'Bearer ' + (await getToken()) } });
      setResult({ status: res.status, body: await res.json() });
    } catch (err) {
      setResult(null);
      setError(err instanceof Error ? err.message : String(err));
    }
  }, [getToken]);

  useEffect(() => {
    if (isLoaded) void call();
  }, [isLoaded, call]);

  return (
    <section className="card" aria-labelledby="api-title">
      <h1 id="api-title">API demo</h1>
      <p className="hint">
        <code>GET /api/me</code> with <code>Authorization: Bearer &lt;session token&gt;</code>, verified by{' '}
        <code>@latchkey/backend</code> against the instance's JWKS.
      </p>
      <button type="button" onClick={() => void call()}>
        Call /api/me again
      </button>
      {result && (
        <>
          <p data-testid="api-status">HTTP {result.status}</p>
          <pre data-testid="api-result">{JSON.stringify(result.body, null, 2)}</pre>
        </>
      )}
      <p className="error" role="alert" data-testid="api-error">
        {error}
      </p>
    </section>
  );
}
