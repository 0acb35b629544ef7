/**
 * `redirect_url`: where the user goes after signing in. The server decides (GET
 * /portal/api/redirect, by the instance's allowed origins); the page navigates only to the URL
 * that answer names, never to the query string itself, so a page bug cannot open a redirect.
 */
import { useEffect, useMemo, useState } from 'react';

export type RedirectCheck =
  | { kind: 'none' }
  | { kind: 'checking' }
  | { kind: 'allowed'; url: string }
  | { kind: 'refused'; given: string; message: string };

async function ask(values: string[]): Promise<RedirectCheck> {
  if (values.length === 0) return { kind: 'none' };
  const query = new URLSearchParams(values.map((v) => ['redirect_url', v]));
  try {
    const res = await fetch(`/portal/api/redirect?${query}`, { headers: { accept: 'application/json' } });
    const body = (await res.json()) as { url?: string; errors?: { long_message?: string }[] };
    if (res.ok && typeof body.url === 'string') return { kind: 'allowed', url: body.url };
    return { kind: 'refused', given: values[0]!, message: body.errors?.[0]?.long_message ?? 'This address is not allowed.' };
  } catch {
    return { kind: 'refused', given: values[0]!, message: 'The address to return to could not be checked.' };
  }
}

/**
 * The check of the page's `redirect_url` values: `state` to render, `settled` to await before
 * navigating (a sign-in can finish before the check has answered).
 */
export function useRedirect(search: URLSearchParams): { state: RedirectCheck; settled: Promise<RedirectCheck>; given: string | null } {
  const values = search.getAll('redirect_url');
  const key = JSON.stringify(values);
  const settled = useMemo(() => ask(JSON.parse(key) as string[]), [key]);
  const [state, setState] = useState<RedirectCheck>(values.length ? { kind: 'checking' } : { kind: 'none' });
  useEffect(() => {
    let live = true;
    setState(JSON.parse(key).length ? { kind: 'checking' } : { kind: 'none' });
    void settled.then((s) => live && setState(s));
    return () => {
      live = false;
    };
  }, [settled, key]);
  return { state, settled, given: values[0] ?? null };
}
