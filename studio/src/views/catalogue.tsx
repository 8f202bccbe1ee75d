/** The pipelines catalogue: every pipeline of the project, with a link to its run form. */
import { api } from '../api.js';
import { ErrorBox, Link, Loading, useLoad, useTitle } from '../ui.js';

export function Catalogue() {
  useTitle('Pipelines');
  const list = useLoad(() => api.pipelines(), []);
  return (
    <section>
      <h1>Pipelines</h1>
      {list.loading && !list.data && <Loading what="pipelines" />}
      {list.error !== undefined && <ErrorBox error={list.error} />}
      {list.data && list.data.length === 0 && <p>No pipelines in this project's <code>pipelines/</code> folder yet. Write one in the <Link href="/editor">editor</Link>.</p>}
      <ul class="cards">
        {list.data?.map((p) => (
          <li key={p.id} class="card">
            <h2><Link href={`/pipelines/${p.id}`}>{p.name || p.id}</Link></h2>
            <p class="muted mono">{p.file}</p>
            {p.description && <p>{p.description}</p>}
            {p.valid === false
              ? <p class="field-error">Does not load: {p.problems?.[0]?.message ?? 'invalid'}{(p.problems?.length ?? 0) > 1 ? ` (+${p.problems!.length - 1} more)` : ''} · <Link href={`/editor?pipeline=${encodeURIComponent(p.id)}`}>check it in the editor</Link></p>
              : <p class="muted">{Object.keys(p.inputs.properties ?? {}).length} input(s)</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
