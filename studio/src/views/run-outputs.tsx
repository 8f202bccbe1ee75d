/**
 * A finished run's outputs as people want to see them: the video in a player with its captions
 * track, images (thumbnail, contact sheet) as images, texts (titles, post texts) as text, other
 * files as links. Files come from /api/runs/{id}/files/{path}.
 */
import { useEffect, useState } from 'preact/hooks';
import { runFileUrl } from '../api.js';
import { srtToVtt } from '../captions.js';
import { kindOf, runRelative, shownOutputs, type ShownOutput } from '../outputs.js';
import type { RunState } from '../run-state.js';

/** Every file of the run named in any step's outputs (the captions sidecars are often only there). */
function stepFiles(run: RunState): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    const rel = runRelative(v, run.runId);
    if (rel) found.push(rel);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  run.steps.forEach((s) => walk(s.outputs));
  return found;
}

const dirOf = (p: string) => p.slice(0, p.lastIndexOf('/') + 1);

export function RunOutputs({ run }: { run: RunState }) {
  const shown = shownOutputs(run.outputs, run.runId);
  const files = [...shown.flatMap((o) => (o.path ? [o.path] : [])), ...stepFiles(run)];
  if (shown.length === 0) return <><h2>Outputs</h2><p class="muted">This run has no outputs.</p></>;
  const videos = shown.filter((o) => o.kind === 'video');
  const images = shown.filter((o) => o.kind === 'image');
  const texts = shown.filter((o) => !o.path && typeof o.value === 'string' && o.value !== '');
  const rest = shown.filter((o) => !videos.includes(o) && !images.includes(o) && !texts.includes(o));
  return (
    <>
      <h2>Outputs</h2>
      <div class="outputs">
        {videos.map((v) => <Video key={v.name} runId={run.runId} output={v} files={files} />)}
        {images.map((o) => (
          <figure key={o.name} class="image-out">
            <a href={runFileUrl(run.runId, o.path!)} target="_blank" rel="noopener"><img src={runFileUrl(run.runId, o.path!)} alt={o.name} loading="lazy" /></a>
            <figcaption>{o.name}</figcaption>
          </figure>
        ))}
      </div>
      {texts.map((o) => (
        <div key={o.name} class="text-out">
          <h3>{o.name}</h3>
          <p class="post-text">{String(o.value)}</p>
        </div>
      ))}
      {rest.length > 0 && (
        <dl class="kv">
          {rest.map((o) => [
            <dt key={`${o.name}-k`}>{o.name}</dt>,
            <dd key={`${o.name}-v`}>{o.path ? <a href={runFileUrl(run.runId, o.path)} download>{o.path}</a> : <code>{JSON.stringify(o.value)}</code>}</dd>,
          ])}
        </dl>
      )}
    </>
  );
}

/**
 * The player: the browser's <track> reads WebVTT only, so a .vtt of the video's folder is used
 * as is, and a .srt is converted in the page (a Blob URL) when there is no .vtt.
 */
function Video({ runId, output, files }: { runId: string; output: ShownOutput; files: string[] }) {
  const here = dirOf(output.path!);
  const near = files.filter((f) => dirOf(f) === here);
  const vtt = near.find((f) => kindOf(f) === 'captions-vtt') ?? files.find((f) => kindOf(f) === 'captions-vtt');
  const srt = near.find((f) => kindOf(f) === 'captions-srt') ?? files.find((f) => kindOf(f) === 'captions-srt');
  const [track, setTrack] = useState<string | undefined>(vtt ? runFileUrl(runId, vtt) : undefined);
  useEffect(() => {
    if (vtt || !srt) return;
    let url: string | undefined;
    let live = true;
    fetch(runFileUrl(runId, srt), { credentials: 'same-origin' }).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`)))).then((text) => {
      if (!live) return;
      url = URL.createObjectURL(new Blob([srtToVtt(text)], { type: 'text/vtt' }));
      setTrack(url);
    }, () => { /* no captions then: the video still plays */ });
    return () => { live = false; if (url) URL.revokeObjectURL(url); };
  }, [runId, vtt, srt]);
  return (
    <figure class="video-out">
      <video controls preload="metadata" playsInline src={runFileUrl(runId, output.path!)} data-output={output.name}>
        {track && <track kind="captions" label="Captions" srclang="en" src={track} default />}
      </video>
      <figcaption><a href={runFileUrl(runId, output.path!)} download>{output.name}</a></figcaption>
    </figure>
  );
}
