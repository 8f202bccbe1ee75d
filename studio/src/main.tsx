/** The studio's shell: the navigation, the views by path, and the server's version. */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { useRoute } from './router.js';
import { Link } from './ui.js';
import { Accounts } from './views/accounts.js';
import { Approvals } from './views/approvals.js';
import { Catalogue } from './views/catalogue.js';
import { Editor } from './views/editor.js';
import { History } from './views/history.js';
import { PipelineView } from './views/pipeline-form.js';
import { RunView } from './views/run-view.js';
import { Schedules } from './views/schedules.js';
import './styles.css';

const NAV: Array<[string, string]> = [['/', 'Pipelines'], ['/runs', 'Runs'], ['/approvals', 'Approvals'], ['/schedules', 'Schedules'], ['/accounts', 'Accounts'], ['/editor', 'Editor']];

const decode = (s: string) => s.split('/').map(decodeURIComponent).join('/');

function View({ path, query }: { path: string; query: URLSearchParams }) {
  if (path === '/' || path === '/pipelines') return <Catalogue />;
  if (path.startsWith('/pipelines/')) return <PipelineView id={decode(path.slice('/pipelines/'.length))} />;
  if (path === '/runs') return <History query={query} />;
  if (path.startsWith('/runs/')) return <RunView id={decode(path.slice('/runs/'.length))} />;
  if (path === '/approvals') return <Approvals />;
  if (path === '/schedules') return <Schedules />;
  if (path === '/accounts') return <Accounts />;
  if (path === '/editor') return <Editor pipelineId={query.get('pipeline') ?? undefined} />;
  return <section><h1>Not found</h1><p>Nothing lives at {path}. <Link href="/">Back to the pipelines</Link>.</p></section>;
}

function App() {
  const { path, query } = useRoute();
  const [version, setVersion] = useState('');
  useEffect(() => { api.health().then((h) => setVersion(h.version), () => setVersion('')); }, []);
  // a new view takes the focus (keyboard and screen-reader users start at its content); a new
  // query on the same view (a filter) leaves it where it is
  const first = useRef(true);
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);
  const current = (href: string) => (href === '/' ? path === '/' || path.startsWith('/pipelines') : path === href || path.startsWith(`${href}/`));
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <Link href="/" class="brand">mpv2 studio</Link>
        <nav aria-label="Main">
          <ul>{NAV.map(([href, label]) => <li key={href}><Link href={href} aria-current={current(href) ? 'page' : undefined}>{label}</Link></li>)}</ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}><View path={path} query={query} /></main>
      <footer class="muted small">{version && `mpv2 ${version}`}</footer>
    </>
  );
}

render(<App />, document.getElementById('app')!);
