/** Small shared pieces: links, a page frame, a switch, and an error/notice line. */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError } from './api';
import { BASE, follow } from './router';

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  return (
    <a href={BASE + (to === '/' ? '' : to)} className={className} onClick={(e) => follow(e, to)}>
      {children}
    </a>
  );
}

export function Page({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <section className="page">
      <h1>{title}</h1>
      {intro && <p className="intro">{intro}</p>}
      {children}
    </section>
  );
}

export function Switch({ label, hint, checked, onChange, name }: { label: string; hint?: string; checked: boolean; onChange: (v: boolean) => void; name: string }) {
  return (
    <label className="switch-row">
      <span>
        <strong>{label}</strong>
        {hint && <small>{hint}</small>}
      </span>
      <input type="checkbox" role="switch" name={name} checked={checked} onChange={(e) => onChange(e.target.checked)} />
    </label>
  );
}

export function Notice({ error, ok }: { error?: unknown; ok?: string | null }) {
  if (error) return <p className="notice error" role="alert">{error instanceof ApiError || error instanceof Error ? error.message : String(error)}</p>;
  if (ok) return <p className="notice ok" role="status">{ok}</p>;
  return null;
}

/** Loads `f()` on mount and when `deps` change; `reload()` fetches again. */
export function useLoad<T>(f: () => Promise<T>, deps: unknown[] = []): { data: T | null; error: unknown; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    f().then(
      (d) => live && (setData(d), setError(null)),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, n]);
  return { data, error, reload: useCallback(() => setN((x) => x + 1), []) };
}

/** A provider's icon: its initial on a colour of its own (no network, no image files). */
export function ProviderIcon({ name }: { name: string }) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return (
    <span className="provider-icon" aria-hidden="true" style={{ background: `hsl(${h} 55% 42%)` }}>
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}
