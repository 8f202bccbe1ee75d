/** Schedules: next fire times; add one, pause, resume or remove. `mpv2 worker` fires them. */
import { useState } from 'preact/hooks';
import { api, type Schedule } from '../api.js';
import { ErrorBox, Loading, Status, formatTime, useLoad, useTitle } from '../ui.js';

export function Schedules() {
  useTitle('Schedules');
  const list = useLoad(() => api.schedules(), []);
  const pipelines = useLoad(() => api.pipelines(), []);
  const [error, setError] = useState<unknown>();
  const change = async (s: Schedule, what: 'pause' | 'resume' | 'remove') => {
    setError(undefined);
    try {
      if (what === 'remove') await api.removeSchedule(s.name);
      else await api.setSchedule(s.name, what);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section>
      <h1>Schedules</h1>
      {list.loading && !list.data && <Loading what="schedules" />}
      {list.error !== undefined && <ErrorBox error={list.error} />}
      {error !== undefined && <ErrorBox error={error} />}
      {list.data?.length === 0 && <p>No schedules yet.</p>}
      {list.data && list.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Pipeline</th><th scope="col">Cron</th><th scope="col">Next</th><th scope="col">State</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {list.data.map((s) => (
                <tr key={s.name}>
                  <td>{s.name}</td>
                  <td class="mono">{s.pipeline}</td>
                  <td class="mono">{s.cron}{s.tz ? ` (${s.tz})` : ''}</td>
                  <td>{s.paused ? '–' : (s.next ?? []).map((n) => <div key={n}>{formatTime(n)}</div>)}</td>
                  <td><Status status={s.paused ? 'paused' : 'active'} /></td>
                  <td class="row-actions">
                    <button type="button" onClick={() => void change(s, s.paused ? 'resume' : 'pause')}>{s.paused ? 'Resume' : 'Pause'}<span class="sr-only"> {s.name}</span></button>
                    <button type="button" class="danger" onClick={() => { if (confirm(`Remove the schedule "${s.name}"?`)) void change(s, 'remove'); }}>Remove<span class="sr-only"> {s.name}</span></button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddSchedule pipelines={pipelines.data?.map((p) => p.id) ?? []} onAdded={list.reload} />
    </section>
  );
}

function AddSchedule({ pipelines, onAdded }: { pipelines: string[]; onAdded: () => void }) {
  const [pipeline, setPipeline] = useState('');
  const [cron, setCron] = useState('0 9 * * *');
  const [tz, setTz] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone ?? '');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      await api.addSchedule({ pipeline: pipeline || pipelines[0]!, cron: cron.trim(), ...(tz.trim() && { tz: tz.trim() }), ...(name.trim() && { name: name.trim() }) });
      setName('');
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form" onSubmit={submit}>
      <h2>Add a schedule</h2>
      <div class="field">
        <label for="s-pipeline">Pipeline</label>
        <select id="s-pipeline" value={pipeline || pipelines[0]} onChange={(e) => setPipeline(e.currentTarget.value)} required>
          {pipelines.map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
      </div>
      <div class="field">
        <label for="s-cron">Cron</label>
        <input id="s-cron" class="mono" value={cron} onInput={(e) => setCron(e.currentTarget.value)} required aria-describedby="s-cron-desc" />
        <p id="s-cron-desc" class="desc">minute hour day month weekday, e.g. <code>0 9 * * *</code> for 09:00 every day</p>
      </div>
      <div class="field">
        <label for="s-tz">Time zone</label>
        <input id="s-tz" value={tz} onInput={(e) => setTz(e.currentTarget.value)} placeholder="Europe/Berlin" />
      </div>
      <div class="field">
        <label for="s-name">Name (optional)</label>
        <input id="s-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      {error !== undefined && <ErrorBox error={error} />}
      <div class="actions"><button type="submit" class="primary" disabled={busy || pipelines.length === 0}>Add schedule</button></div>
    </form>
  );
}
