/**
 * One run: its live step tree from the SSE stream of `--json` events (a late subscriber gets the
 * events so far, then the live ones; the stream ends after `run.finished`), its outputs shown
 * as media, and the resume and cancel buttons.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { applyEvent, emptyRun, fromRun, isFinal, type RunEvent, type RunState, type StepState } from '../run-state.js';
import { navigate } from '../router.js';
import { ErrorBox, Link, Status, formatMs, useTitle } from '../ui.js';
import { PendingApproval } from './approvals.js';
import { RunOutputs } from './run-outputs.js';

/** Event names the stream may carry as SSE `event:` fields; unnamed events arrive as `message`. */
const NAMED = ['run.started', 'run.finished', 'run.failed', 'step.started', 'step.progress', 'step.log', 'step.waiting', 'step.retrying',
  'step.finished', 'step.skipped', 'step.failed', 'step.waiting-approval', 'step.waiting-slot'];

/** How often, and how many times, the view asks whether a decided run has moved on. */
const AFTER_DECISION_POLL_MS = 1000;
const AFTER_DECISION_POLLS = 120;

export function RunView({ id }: { id: string }) {
  useTitle(`Run ${id}`);
  const [state, setState] = useState<RunState>(() => emptyRun(id));
  const [streamed, setStreamed] = useState(false);
  const [error, setError] = useState<unknown>();
  const [actionError, setActionError] = useState<unknown>();
  const [busy, setBusy] = useState<'' | 'cancel' | 'resume'>('');
  // a resume subscribes again: the run continues under the same id
  const [session, setSession] = useState(0);
  const mounted = useRef(true);
  useEffect(() => () => { mounted.current = false; }, []);

  useEffect(() => {
    let live = true;
    let gotEvents = false;
    setState(emptyRun(id));
    setStreamed(false);
    setError(undefined);
    const snapshot = () => api.run(id).then((r) => {
      // the stream is the fuller picture (logs, retries); the snapshot fills in when there is none
      if (live) setState((s) => (gotEvents ? { ...s, status: r.status, finished: isFinal(r.status) || s.finished, outputs: s.outputs ?? r.outputs ?? undefined } : fromRun(r)));
    }, (e: unknown) => { if (live && !gotEvents) setError(e); });
    const es = new EventSource(`/api/runs/${encodeURIComponent(id)}/events`);
    const onEvent = (m: MessageEvent<string>) => {
      let e: RunEvent;
      try { e = JSON.parse(m.data) as RunEvent; } catch { return; }
      gotEvents = true;
      setStreamed(true);
      setState((s) => applyEvent(s, e));
      // the server ends the stream here; closing first keeps EventSource from reconnecting
      if (e.event === 'run.finished' || e.event === 'run.failed') { es.close(); void snapshot(); }
    };
    es.addEventListener('message', onEvent);
    for (const n of NAMED) es.addEventListener(n, onEvent as EventListener);
    es.onerror = () => {
      // a dropped connection reconnects by itself and the server resumes after Last-Event-ID;
      // a refused stream (no such run, signed out) is closed: the run's record says the rest
      if (es.readyState === EventSource.CLOSED) void snapshot();
    };
    return () => { live = false; es.close(); };
  }, [id, session]);

  const act = async (what: 'cancel' | 'resume') => {
    setBusy(what);
    setActionError(undefined);
    try {
      if (what === 'cancel') await api.cancel(id);
      else {
        const r = await api.resume(id);
        // a resume continues the same run id; should the server name another, follow it
        if (r.runId && r.runId !== id) navigate(`/runs/${encodeURIComponent(r.runId)}`);
        else setSession((n) => n + 1);
      }
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy('');
    }
  };

  // a decision continues the run (the server resumes it): follow it once it has left the wait
  const decided = async () => {
    for (let i = 0; i < AFTER_DECISION_POLLS && mounted.current; i++) {
      const r = await api.run(id).catch(() => undefined);
      if (r && r.status !== 'waiting-approval') break;
      await new Promise((res) => setTimeout(res, AFTER_DECISION_POLL_MS));
    }
    if (mounted.current) setSession((n) => n + 1);
  };

  const running = !state.finished && !isFinal(state.status) && state.status !== 'waiting-approval' && state.status !== 'waiting-slot';
  const canResume = state.finished && (state.status === 'failed' || state.status === 'interrupted');
  return (
    <section>
      <p class="crumbs"><Link href="/runs">Runs</Link> /</p>
      <h1 class="run-title">{state.name ?? state.pipeline ?? 'Run'} <Status status={state.status} /></h1>
      <p class="muted mono">{id}{state.pipeline ? ` · ${state.pipeline}` : ''}{state.durationMs !== undefined && Number.isFinite(state.durationMs) ? ` · ${formatMs(state.durationMs)}` : ''}</p>
      <div class="actions">
        <button type="button" onClick={() => void act('cancel')} disabled={!running || busy !== ''}>{busy === 'cancel' ? 'Cancelling…' : 'Cancel'}</button>
        <button type="button" onClick={() => void act('resume')} disabled={!canResume || busy !== ''}>{busy === 'resume' ? 'Resuming…' : 'Resume'}</button>
        {state.steps.some((s) => s.status === 'waiting-approval') && <Link href="/approvals">Waiting for approval →</Link>}
      </div>
      {actionError !== undefined && <ErrorBox error={actionError} />}
      {error !== undefined && <ErrorBox error={error} />}
      {state.error && <div class="error" role="alert"><strong>{state.error.pluginCode ?? state.error.code}: </strong>{state.error.message}</div>}
      <h2>Steps</h2>
      {!streamed && state.steps.length === 0 && !error && <p class="muted" role="status">Waiting for the run's events…</p>}
      <ol class="steps" aria-live="polite">
        {state.steps.map((s) => <StepItem key={s.stepId} step={s} />)}
      </ol>
      {state.steps.flatMap((s) => [s, ...(s.items ?? []).filter(Boolean)]).filter((s) => s.status === 'waiting-approval' && s.approval).map((s) => (
        <div key={s.approval!.id} class="card">
          <PendingApproval approval={{ id: s.approval!.id, runId: id, stepId: s.stepId, plugin: s.approval!.plugin, preview: s.approval!.preview }} onDecided={() => void decided()} />
        </div>
      ))}
      {state.finished && state.status !== 'waiting-approval' && <RunOutputs run={state} />}
    </section>
  );
}

function StepItem({ step: s }: { step: StepState }) {
  const items = (s.items ?? []).filter(Boolean);
  const detail = s.logs.length > 0 || s.retries.length > 0 || s.outputs !== undefined || items.length > 0;
  return (
    <li class={`step step-${s.status}`} data-step={s.stepId}>
      <div class="step-head">
        <Status status={s.status} />
        <strong class="mono">{s.stepId}</strong>
        {s.plugin && <span class="muted mono">{s.plugin}</span>}
        {s.cached && <span class="tag">cached</span>}
        {s.reused && <span class="tag">reused</span>}
        {s.durationMs !== undefined && Number.isFinite(s.durationMs) && <span class="muted">{formatMs(s.durationMs)}</span>}
      </div>
      {(s.status === 'running' || s.status === 'retrying') && (
        <div class="progress-row">
          <progress max={1} value={s.fraction} aria-label={`${s.stepId} progress`} />
          {s.fraction !== undefined && <span>{Math.round(s.fraction * 100)}%</span>}
          {s.message && <span class="muted">{s.message}</span>}
        </div>
      )}
      {s.itemCount !== undefined && <p class="muted">{items.filter((i) => i.status === 'succeeded').length} of {s.itemCount} items done</p>}
      {s.wait && <p class="muted">waiting {formatMs(s.wait.waitMs)} for limit <code>{s.wait.limit}</code></p>}
      {s.retries.length > 0 && <p class="warn">try {s.retries.at(-1)!.attempt} failed: {s.retries.at(-1)!.reason}; retrying in {formatMs(s.retries.at(-1)!.delayMs)}</p>}
      {s.reason && <p class="muted">{s.reason}</p>}
      {s.error && <p class="field-error">{s.error.pluginCode ?? s.error.code}: {s.error.message}{s.error.hint ? ` (${s.error.hint})` : ''}</p>}
      {detail && (
        <details>
          <summary>Details{s.logs.length ? ` · ${s.logs.length} log line${s.logs.length === 1 ? '' : 's'}` : ''}</summary>
          {s.logs.length > 0 && <ol class="logs">{s.logs.map((l, i) => <li key={i} class={`log-${l.level}`}><span class="muted">{l.level}</span> {l.message}</li>)}</ol>}
          {s.retries.length > 0 && <ul>{s.retries.map((r) => <li key={r.attempt}>try {r.attempt}: {r.reason} (next in {formatMs(r.delayMs)})</li>)}</ul>}
          {items.length > 0 && <ol class="steps">{items.map((it) => <StepItem key={it.stepId} step={it} />)}</ol>}
          {s.outputs !== undefined && <pre class="json">{JSON.stringify(s.outputs, null, 2)}</pre>}
        </details>
      )}
    </li>
  );
}
