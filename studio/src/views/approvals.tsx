/**
 * The approvals inbox: each effect step that waits for a person, with its preview (what its dry
 * run would write: the video, the thumbnail, title, description, post text, email), and approve /
 * reject with a note. Decided ones are listed below.
 */
import { useState } from 'preact/hooks';
import { api, runFileUrl, type Approval } from '../api.js';
import { kindOf, runRelative } from '../outputs.js';
import { ErrorBox, Link, Loading, Status, formatTime, useLoad, useTitle } from '../ui.js';

export function Approvals() {
  useTitle('Approvals');
  const pending = useLoad(() => api.approvals(), []);
  const decided = useLoad(() => api.approvals(true), []);
  const reload = () => { pending.reload(); decided.reload(); };
  return (
    <section>
      <h1>Approvals</h1>
      {pending.loading && !pending.data && <Loading what="approvals" />}
      {pending.error !== undefined && <ErrorBox error={pending.error} />}
      {pending.data?.length === 0 && <p>Nothing waits for approval.</p>}
      <ul class="cards wide">
        {pending.data?.map((a) => <li key={a.id} class="card"><PendingApproval approval={a} onDecided={reload} /></li>)}
      </ul>
      <h2>Decided</h2>
      {decided.error !== undefined && <ErrorBox error={decided.error} />}
      {decided.data?.length === 0 && <p class="muted">None yet.</p>}
      {decided.data && decided.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Step</th><th scope="col">Run</th><th scope="col">Decision</th><th scope="col">Note</th><th scope="col">When</th></tr></thead>
            <tbody>
              {decided.data.map((a) => (
                <tr key={a.id}>
                  <td class="mono">{a.stepId} <span class="muted">{a.plugin}</span></td>
                  <td><Link href={`/runs/${encodeURIComponent(a.runId)}`}>{a.runId}</Link></td>
                  <td><Status status={a.status ?? 'decided'} /></td>
                  <td>{a.note ?? ''}</td>
                  <td>{formatTime(a.decidedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function PendingApproval({ approval: a, onDecided }: { approval: Approval; onDecided: () => void }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const decide = async (d: 'approve' | 'reject') => {
    setBusy(true);
    setError(undefined);
    try {
      await api.decide(a.id, d, note.trim());
      onDecided();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const noteId = `note-${a.id}`;
  return (
    <article aria-labelledby={`ap-${a.id}`} data-approval={a.id}>
      <h2 id={`ap-${a.id}`}><span class="mono">{a.stepId}</span> <span class="muted">{a.plugin}</span></h2>
      <p class="muted">Run <Link href={`/runs/${encodeURIComponent(a.runId)}`}>{a.runId}</Link>{a.createdAt ? ` · since ${formatTime(a.createdAt)}` : ''}</p>
      <Preview runId={a.runId} preview={a.preview ?? {}} />
      <div class="field">
        <label for={noteId}>Note (optional; a rejection's reason)</label>
        <textarea id={noteId} rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </div>
      {error !== undefined && <ErrorBox error={error} />}
      <div class="actions">
        <button type="button" class="primary" disabled={busy} onClick={() => void decide('approve')}>Approve</button>
        <button type="button" class="danger" disabled={busy} onClick={() => void decide('reject')}>Reject</button>
      </div>
    </article>
  );
}

/** Labels of the preview fields people read first; the rest follow in their own order. */
const FIRST = ['title', 'subject', 'to', 'description', 'text', 'body', 'post', 'tags', 'visibility', 'publishAt'];

/** A preview: files of the run as media, text as text, nested parts (an email) as their own list. */
export function Preview({ runId, preview }: { runId: string; preview: Record<string, unknown> }) {
  const entries = Object.entries(preview).sort(([a], [b]) => rank(a) - rank(b));
  return (
    <div class="preview">
      {entries.map(([k, v]) => {
        const rel = runRelative(v, runId);
        if (rel) {
          const kind = kindOf(rel);
          const url = runFileUrl(runId, rel);
          if (kind === 'video') return <figure key={k}><video controls preload="metadata" playsInline src={url} /><figcaption>{k}</figcaption></figure>;
          if (kind === 'image') return <figure key={k}><img src={url} alt={k} /><figcaption>{k}</figcaption></figure>;
          return <p key={k}><strong>{k}</strong>: <a href={url} download>{rel}</a></p>;
        }
        if (v && typeof v === 'object' && !Array.isArray(v)) return <div key={k} class="nested"><h3>{k}</h3><Preview runId={runId} preview={v as Record<string, unknown>} /></div>;
        if (v === undefined || v === null || v === '') return null;
        const text = Array.isArray(v) ? v.map(String).join(', ') : String(v);
        return <div key={k} class="kv-row"><strong>{k}</strong><p class="post-text">{text}</p></div>;
      })}
    </div>
  );
}

function rank(k: string): number {
  const i = FIRST.indexOf(k);
  return i < 0 ? FIRST.length : i;
}
