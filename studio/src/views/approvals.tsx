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

export function PendingApproval({ approval: a, onDecided }: { approval: Approval; onDecided: () => void }) {
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

/** Fields people read first; the rest follow in their own order. */
const FIRST = ['title', 'subject', 'to', 'description', 'text', 'body', 'post', 'tags', 'visibility', 'publishAt'];

function rank(k: string): number {
  const i = FIRST.indexOf(k);
  return i < 0 ? FIRST.length : i;
}

function Media({ runId, rel, label }: { runId: string; rel: string; label: string }) {
  const url = runFileUrl(runId, rel);
  const kind = kindOf(rel);
  if (kind === 'video') return <figure><video controls preload="metadata" playsInline src={url} /><figcaption>{label}</figcaption></figure>;
  if (kind === 'image') return <figure><img src={url} alt={label} /><figcaption>{label}</figcaption></figure>;
  return <p><a href={url} download>{label}</a></p>;
}

/**
 * What an approval would do: the files of the run it names (the video, the thumbnail) as media,
 * then its dry-run description (`wouldDo`: title, description, post text, email …) as text.
 */
export function Preview({ runId, preview }: { runId: string; preview: Record<string, unknown> }) {
  const files = Array.isArray(preview.files) ? preview.files.filter((f): f is string => typeof f === 'string') : [];
  const body = 'wouldDo' in preview ? preview.wouldDo : Object.fromEntries(Object.entries(preview).filter(([k]) => k !== 'files' && k !== 'key' && k !== 'postAt'));
  return (
    <div class="preview">
      {typeof preview.postAt === 'string' && <p>Posts at <time dateTime={preview.postAt}>{new Date(preview.postAt).toLocaleString()}</time> once approved (its reserved slot; approved later, it posts at once)</p>}
      {files.length > 0 && <div class="preview-media">{files.map((f) => <Media key={f} runId={runId} rel={f} label={f} />)}</div>}
      <Fields runId={runId} value={body} shown={files} />
      {typeof preview.key === 'string' && <p class="muted small">effect <code>{preview.key}</code></p>}
    </div>
  );
}

/** Long or multi-line text (a description, a post) in a box that keeps its line breaks; short values inline. */
function Text({ value }: { value: string }) {
  return value.length > 80 || value.includes('\n') ? <p class="post-text">{value}</p> : <span>{value}</span>;
}

function Fields({ runId, value, shown }: { runId: string; value: unknown; shown: string[] }) {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'object') return <Text value={String(value)} />;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return <Text value={value.map(String).join(', ')} />;
    return <>{value.map((v, i) => <div key={i} class="nested"><Fields runId={runId} value={v} shown={shown} /></div>)}</>;
  }
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => rank(a) - rank(b)).filter(([, v]) => {
    const rel = runRelative(v, runId);
    return !(rel && shown.includes(rel)) && v !== undefined && v !== null && v !== '' && !(typeof v === 'object' && Object.keys(v).length === 0);
  });
  if (entries.length === 0) return null;
  return (
    <dl class="kv">
      {entries.map(([k, v]) => {
        const rel = runRelative(v, runId);
        return [
          <dt key={`${k}-k`}>{k}</dt>,
          <dd key={`${k}-v`}>{rel ? <Media runId={runId} rel={rel} label={k} /> : <Fields runId={runId} value={v} shown={shown} />}</dd>,
        ];
      })}
    </dl>
  );
}
