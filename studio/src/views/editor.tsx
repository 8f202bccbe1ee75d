/**
 * The pipeline editor: a text area with line numbers that is validated as you type (a debounced
 * POST /api/pipelines/validate, the same problems as `mpv2 validate`); each problem marks its
 * line in the gutter and is listed below, and choosing it puts the cursor there.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Problem } from '../api.js';
import { ErrorBox, Link, useTitle } from '../ui.js';

/** Typing pauses this long before the text is checked. */
const DEBOUNCE_MS = 350;

const STARTER = `name: hello
description: A first pipeline
inputs:
  who:
    type: string
    default: world
steps:
  - id: greet
    uses: core.set
    with:
      text: Hello, \${{ inputs.who }}!
outputs:
  text: \${{ steps.greet.outputs.text }}
`;

export function Editor({ pipelineId }: { pipelineId?: string }) {
  useTitle('Editor');
  const [text, setText] = useState(STARTER);
  const [problems, setProblems] = useState<Problem[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [checking, setChecking] = useState(false);
  const [file, setFile] = useState<string>();
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!pipelineId) return;
    api.pipeline(pipelineId).then((p) => {
      setFile(p.file);
      if (typeof p.yaml === 'string') setText(p.yaml);
    }, setError);
  }, [pipelineId]);

  useEffect(() => {
    const ac = new AbortController();
    const t = setTimeout(() => {
      setChecking(true);
      api.validate(text, file, ac.signal).then((p) => { setProblems(p); setError(undefined); setChecking(false); }, (e: unknown) => {
        if ((e as Error).name !== 'AbortError') { setError(e); setChecking(false); }
      });
    }, DEBOUNCE_MS);
    return () => { clearTimeout(t); ac.abort(); };
  }, [text, file]);

  const lines = text.split('\n');
  const byLine = new Map<number, Problem[]>();
  for (const p of problems ?? []) if (p.line) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p]);

  const goTo = (p: Problem) => {
    const el = area.current;
    if (!el || !p.line) return;
    const offset = lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, (p.column ?? 1) - 1);
    el.focus();
    el.setSelectionRange(offset, offset);
    // about one line per 1.5em: scroll the line into view
    const lh = parseFloat(getComputedStyle(el).lineHeight) || 20;
    el.scrollTop = Math.max(0, (p.line - 3) * lh);
  };

  return (
    <section>
      <h1>Pipeline editor</h1>
      <p class="muted">Checked as you type, exactly as <code>mpv2 validate</code> checks a file. Save it under <code>pipelines/</code> to see it in the <Link href="/">catalogue</Link>.</p>
      <div class="editor">
        <div class="gutter" ref={gutter} aria-hidden="true">
          {lines.map((_, i) => {
            const bad = byLine.get(i + 1);
            return <div key={i} data-line={i + 1} class={bad ? 'bad' : undefined} title={bad?.map((p) => p.message).join('\n')}>{i + 1}</div>;
          })}
        </div>
        <textarea ref={area} id="yaml" aria-label="Pipeline YAML" aria-describedby="problems" spellcheck={false} autocapitalize="off" autocomplete="off"
          wrap="off" value={text} onInput={(e) => setText(e.currentTarget.value)}
          onScroll={(e) => { if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop; }}
          onKeyDown={(e) => {
            // Tab indents (two spaces, as YAML wants); Escape then Tab leaves the text area
            if (e.key !== 'Tab' || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey || (e.currentTarget.dataset.escaped === '1')) return;
            e.preventDefault();
            const el = e.currentTarget;
            const [s, end] = [el.selectionStart, el.selectionEnd];
            setText(el.value.slice(0, s) + '  ' + el.value.slice(end));
            requestAnimationFrame(() => el.setSelectionRange(s + 2, s + 2));
          }}
          onKeyUp={(e) => { e.currentTarget.dataset.escaped = e.key === 'Escape' ? '1' : ''; }}
        />
      </div>
      <div id="problems" class="problems" aria-live="polite">
        {error !== undefined && <ErrorBox error={error} />}
        {checking && problems === undefined && <p class="muted">Checking…</p>}
        {problems?.length === 0 && <p class="ok">✓ No problems.</p>}
        {problems && problems.length > 0 && (
          <>
            <p>{problems.length} problem{problems.length === 1 ? '' : 's'}:</p>
            <ul>
              {problems.map((p, i) => (
                <li key={i} class="problem" data-problem-line={p.line}>
                  <button type="button" class="link" onClick={() => goTo(p)} disabled={!p.line}>
                    {p.line ? `line ${p.line}${p.column ? `:${p.column}` : ''}` : 'file'}
                  </button>{' '}
                  <code>{p.code}</code> {p.message}
                  {p.hint && <div class="hint">{p.hint}</div>}
                </li>
              ))}
            </ul>
          </>
        )}
        <p class="muted small">Tab indents; press Escape, then Tab, to move on.</p>
      </div>
    </section>
  );
}
