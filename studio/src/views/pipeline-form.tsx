/**
 * A pipeline's run form, generated from its `inputs` JSON Schema: one labelled control per
 * input, the schema's defaults filled in, checked as the schema says before sending; the
 * server's errors are shown at their fields. A started run opens the run view.
 */
import { useMemo, useState } from 'preact/hooks';
import { ApiError, api, type Pipeline } from '../api.js';
import { navigate } from '../router.js';
import { collectInputs, fieldsOf, problemsByField, initialValues, type Field, type FieldValue } from '../schema-form.js';
import { ErrorBox, Link, Loading, useLoad, useTitle } from '../ui.js';

export function PipelineView({ id }: { id: string }) {
  const p = useLoad(() => api.pipeline(id), [id]);
  useTitle(p.data?.name ?? id);
  if (p.error !== undefined) return <section><h1>{id}</h1><ErrorBox error={p.error} /></section>;
  if (!p.data) return <Loading what="the pipeline" />;
  return <RunForm pipeline={p.data} />;
}

function RunForm({ pipeline }: { pipeline: Pipeline }) {
  const fields = useMemo(() => fieldsOf(pipeline.inputs), [pipeline]);
  const [values, setValues] = useState(() => initialValues(fields));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [dryRun, setDryRun] = useState(false);

  const set = (name: string, v: FieldValue) => {
    setValues((old) => ({ ...old, [name]: v }));
    if (errors[name]) setErrors(({ [name]: _, ...rest }) => rest);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const { inputs, errors: found } = collectInputs(fields, values);
    setErrors(found);
    setFormError(undefined);
    const first = Object.keys(found)[0];
    if (first) { document.getElementById(`in-${first}`)?.focus(); return; }
    setBusy(true);
    try {
      const { runId } = await api.startRun(pipeline.id, inputs, dryRun);
      navigate(`/runs/${encodeURIComponent(runId)}`);
    } catch (err) {
      setBusy(false);
      const atFields = serverFieldErrors(err, fields.map((f) => f.name));
      setErrors(atFields);
      // what names no field is shown above the button
      if (Object.keys(atFields).length === 0) setFormError(err);
      else document.getElementById(`in-${Object.keys(atFields)[0]}`)?.focus();
    }
  };

  return (
    <section>
      <p class="crumbs"><Link href="/">Pipelines</Link> /</p>
      <h1>{pipeline.name || pipeline.id}</h1>
      <p class="muted mono">{pipeline.file}</p>
      {pipeline.description && <p>{pipeline.description}</p>}
      <form class="form" onSubmit={submit} noValidate>
        {fields.length === 0 && <p class="muted">This pipeline takes no inputs.</p>}
        {fields.map((f) => <FieldControl key={f.name} field={f} value={values[f.name]!} error={errors[f.name]} onChange={(v) => set(f.name, v)} />)}
        <div class="field check">
          <input id="dry-run" type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} />
          <label for="dry-run">Dry run (effects such as uploads and posts only say what they would do)</label>
        </div>
        {formError !== undefined && <ErrorBox error={formError} />}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>{busy ? 'Starting…' : 'Run'}</button>
          <Link href={`/runs?pipeline=${encodeURIComponent(pipeline.id)}`}>Earlier runs</Link>
        </div>
      </form>
    </section>
  );
}

/** The server's input errors by field. */
function serverFieldErrors(err: unknown, names: string[]): Record<string, string> {
  return err instanceof ApiError ? problemsByField(err.problem, names) : {};
}

function FieldControl({ field: f, value, error, onChange }: { field: Field; value: FieldValue; error?: string; onChange: (v: FieldValue) => void }) {
  const id = `in-${f.name}`;
  const describedBy = [f.description && `${id}-desc`, error && `${id}-err`].filter(Boolean).join(' ') || undefined;
  const common = { id, name: f.name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, required: f.required };
  let control;
  switch (f.kind) {
    case 'boolean':
      control = <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
      break;
    case 'enum':
      control = (
        <select {...common} value={String(value)} onChange={(e) => onChange(e.currentTarget.value)}>
          {!f.required && <option value="">(default)</option>}
          {f.options!.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      );
      break;
    case 'enum-list':
      control = (
        <fieldset {...{ id, 'aria-describedby': describedBy }} class="choices">
          <legend class="sr-only">{f.label}</legend>
          {f.options!.map((o) => (
            <label key={o}>
              <input type="checkbox" checked={(value as string[]).includes(o)}
                onChange={(e) => onChange(e.currentTarget.checked ? [...(value as string[]), o] : (value as string[]).filter((x) => x !== o))} /> {o}
            </label>
          ))}
        </fieldset>
      );
      break;
    case 'string-list':
    case 'text':
    case 'json':
      control = <textarea {...common} rows={f.kind === 'json' ? 6 : 4} value={String(value)} onInput={(e) => onChange(e.currentTarget.value)} class={f.kind === 'json' ? 'mono' : undefined} />;
      break;
    case 'number':
    case 'integer':
      control = <input {...common} type="text" inputMode={f.kind === 'integer' ? 'numeric' : 'decimal'} value={String(value)} onInput={(e) => onChange(e.currentTarget.value)} />;
      break;
    default:
      control = <input {...common} type="text" value={String(value)} onInput={(e) => onChange(e.currentTarget.value)} />;
  }
  const note = f.kind === 'string-list' ? ' (one per line)' : f.kind === 'json' ? ' (JSON)' : '';
  return (
    <div class={`field${f.kind === 'boolean' ? ' check' : ''}${error ? ' invalid' : ''}`} data-field={f.name}>
      {f.kind === 'boolean' ? control : null}
      <label for={id}>{f.label}{f.required && <span class="req" aria-label="required"> *</span>}<span class="muted">{note}</span></label>
      {f.kind !== 'boolean' ? control : null}
      {f.description && <p id={`${id}-desc`} class="desc">{f.description}</p>}
      {error && <p id={`${id}-err`} class="field-error" role="alert">{f.label} {error}</p>}
    </div>
  );
}
