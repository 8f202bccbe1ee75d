/**
 * The journal keeps file paths inside the project relative to the project root, so a moved
 * or re-mounted project (or a worker whose checkout lives elsewhere) keeps its history and
 * `run --from` / `resume` still hand valid paths to later steps.
 *
 * Only whole strings that are absolute paths inside the root are converted (text that merely
 * mentions a path, such as an error message, is left alone). A converted path is stored as
 * MARK + the root-relative path with `/` separators; a stored string that itself begins with
 * NUL gets one more NUL in front, so no value ever reads back as something else.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { EffectRecord, EffectStore, JournalStore, RunRecord, StepRecord } from './types.js';

const NUL = '\u0000';
const MARK = `${NUL}root:`;

export interface PathCodec {
  encode<T>(v: T): T;
  decode<T>(v: T): T;
}

function mapStrings(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = mapStrings(x, f);
    return out;
  }
  return v;
}

export function rootPathCodec(root: string): PathCodec {
  let real = root;
  try { real = realpathSync(root); } catch { /* a root that does not exist yet: its own name is all there is */ }
  const roots = [...new Set([root, real])];
  const under = (s: string) => roots.find((r) => s === r || s.startsWith(r.endsWith(sep) ? r : r + sep));
  const encodeOne = (s: string): string => {
    if (s.startsWith(NUL)) return NUL + s;
    const r = isAbsolute(s) ? under(s) : undefined;
    return r === undefined ? s : MARK + relative(r, s).split(sep).join('/');
  };
  const decodeOne = (s: string): string => {
    if (s.startsWith(NUL + NUL)) return s.slice(1);
    if (s.startsWith(MARK)) return join(root, ...s.slice(MARK.length).split('/'));
    return s;
  };
  return {
    encode: <T>(v: T) => mapStrings(v, encodeOne) as T,
    decode: <T>(v: T) => mapStrings(v, decodeOne) as T,
  };
}

/** Prototype-delegating copy of `store` with some methods replaced (the rest, whatever they are, reach the store). */
function overlay<S extends object>(store: S, methods: Partial<S>): S {
  return Object.assign(Object.create(store) as S, methods);
}

/** The journal with run inputs/outputs and step outputs stored relative to `root`. */
export function rootRelativeJournal(journal: JournalStore, root: string): JournalStore {
  const c = rootPathCodec(root);
  const run = (r: RunRecord | undefined) => r && { ...r, inputs: c.decode(r.inputs), outputs: c.decode(r.outputs) };
  const step = (s: StepRecord) => ({ ...s, outputs: c.decode(s.outputs) });
  return overlay(journal, {
    createRun: (r) => journal.createRun({ ...r, inputs: c.encode(r.inputs), outputs: c.encode(r.outputs) }),
    updateRun: (id, p) => journal.updateRun(id, { ...p, ...('inputs' in p && { inputs: c.encode(p.inputs) }), ...('outputs' in p && { outputs: c.encode(p.outputs) }) }),
    getRun: async (id) => run(await journal.getRun(id)),
    listRuns: async (o) => (await journal.listRuns(o)).map((r) => run(r)!),
    latestSucceededRun: async (p) => run(await journal.latestSucceededRun(p)),
    putStep: (s) => journal.putStep({ ...s, outputs: c.encode(s.outputs) }),
    getSteps: async (id) => (await journal.getSteps(id)).map(step),
  });
}

/** The effect store with results stored relative to `root`. */
export function rootRelativeEffects(effects: EffectStore, root: string): EffectStore {
  const c = rootPathCodec(root);
  const rec = (e: EffectRecord) => ({ ...e, result: c.decode(e.result) });
  return overlay(effects, {
    get: async (k) => { const e = await effects.get(k); return e && rec(e); },
    list: async (o) => (await effects.list(o)).map(rec),
    complete: (k, result) => effects.complete(k, c.encode(result)),
  });
}
