/** Run history: newest first, filtered by status and pipeline on the server, searched in the page. */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { navigate } from '../router.js';
import { ErrorBox, Link, Loading, Status, formatTime, useLoad, useTitle } from '../ui.js';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'interrupted', 'waiting-approval', 'waiting-slot'];

export function History({ query }: { query: URLSearchParams }) {
  useTitle('Runs');
  const status = query.get('status') ?? '';
  const pipeline = query.get('pipeline') ?? '';
  const [search, setSearch] = useState(query.get('q') ?? '');
  const runs = useLoad(() => api.runs({ status, pipeline }), [status, pipeline]);
  const pipelines = useLoad(() => api.pipelines(), []);
  const setFilter = (k: string, v: string) => {
    const q = new URLSearchParams(location.search);
    if (v) q.set(k, v); else q.delete(k);
    const s = q.toString();
    navigate(`/runs${s ? `?${s}` : ''}`, true);
  };
  const needle = search.trim().toLowerCase();
  const shown = (runs.data ?? []).filter((r) => !needle || [r.runId, r.pipeline, r.status, JSON.stringify(r.inputs ?? {})].some((t) => t.toLowerCase().includes(needle)));
  return (
    <section>
      <h1>Runs</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="f-status">Status</label>
          <select id="f-status" value={status} onChange={(e) => setFilter('status', e.currentTarget.value)}>
            <option value="">any</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="f-pipeline">Pipeline</label>
          <select id="f-pipeline" value={pipeline} onChange={(e) => setFilter('pipeline', e.currentTarget.value)}>
            <option value="">any</option>
            {pipeline && !pipelines.data?.some((p) => p.id === pipeline) && <option value={pipeline}>{pipeline}</option>}
            {pipelines.data?.map((p) => <option key={p.id} value={p.id}>{p.id}</option>)}
          </select>
        </div>
        <div class="field grow">
          <label for="f-search">Search</label>
          <input id="f-search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} placeholder="run id, pipeline, input text" />
        </div>
      </form>
      {runs.loading && !runs.data && <Loading what="runs" />}
      {runs.error !== undefined && <ErrorBox error={runs.error} />}
      {runs.data && shown.length === 0 && <p>No runs match.</p>}
      {shown.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Run</th><th scope="col">Pipeline</th><th scope="col">Status</th><th scope="col">Started</th></tr></thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.runId}>
                  <td><Link href={`/runs/${encodeURIComponent(r.runId)}`} class="mono">{r.runId}</Link></td>
                  <td class="mono">{r.pipeline}</td>
                  <td><Status status={r.status} /></td>
                  <td>{formatTime(r.startedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
