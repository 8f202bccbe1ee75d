/** Small shared pieces: links that route in the page, loading state, errors, status badges. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { describeError } from './api.js';
import { isPlainClick, navigate } from './router.js';

export function Link(p: { href: string; class?: string; children: ComponentChildren; 'aria-current'?: 'page' | undefined }) {
  return (
    <a href={p.href} class={p.class} aria-current={p['aria-current']} onClick={(e) => {
      if (!isPlainClick(e)) return;
      e.preventDefault();
      navigate(p.href);
    }}>{p.children}</a>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  const d = describeError(error);
  return (
    <div class="error" role="alert">
      <strong>{d.code ? `${d.code}: ` : ''}</strong>{d.message}
      {d.hint && <div class="hint">{d.hint}</div>}
    </div>
  );
}

export function Status({ status }: { status: string }) {
  return <span class={`status status-${status}`}>{status}</span>;
}

export interface Loaded<T> { data?: T; error?: unknown; loading: boolean; reload: () => void }

/** Loads once per change of `deps` (which name everything `load` reads), and again on `reload()`. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then((data) => { if (live) setState({ data, loading: false }); }, (error: unknown) => { if (live) setState({ error, loading: false }); });
    return () => { live = false; };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export function Loading({ what }: { what: string }) {
  return <p class="muted" role="status">Loading {what}…</p>;
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Sets the document title for a view. */
export function useTitle(title: string): void {
  useEffect(() => { document.title = `${title} · mpv2 studio`; }, [title]);
}
