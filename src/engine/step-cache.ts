/**
 * The content-addressed step cache. Key: plugin id + version + the plugin's non-secret config
 * + canonical JSON of the resolved inputs + content hashes of the files both name. Output
 * files are kept as blobs under `.mpv2/cache/blobs/` and linked into the new step folder on a hit.
 */
import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Keyv } from 'keyv';
import { hashFile, hashValue } from '../infra/hash.js';
import type { LoadedPlugin } from '../plugin/types.js';

const MARK = 'mpv2-blob:';

type Json = unknown;

function mapStrings(v: Json, fn: (s: string) => string): Json {
  if (typeof v === 'string') return fn(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, fn));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, fn)]));
  return v;
}

function strings(v: Json, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, out));
  return out;
}

function isFile(p: string): boolean {
  try { return statSync(p).isFile(); } catch { return false; }
}

function isDir(p: string): boolean {
  try { return statSync(p).isDirectory(); } catch { return false; }
}

/** Entries of a folder's listing that count, at most: a huge folder is keyed by its first ones. */
const MAX_LISTED = 20_000;

/**
 * A folder (e.g. a local image library) counts by its listing: names, sizes and modification
 * times, walked breadth-first and cut at MAX_LISTED entries (never a whole disk's listing).
 */
function dirListingHash(dir: string): string {
  const entries: string[] = [];
  const queue = [''];
  while (queue.length > 0 && entries.length < MAX_LISTED) {
    const rel = queue.shift()!;
    let names: string[];
    try { names = readdirSync(join(dir, rel)).sort(); } catch { continue; }
    for (const name of names) {
      if (entries.length >= MAX_LISTED) break;
      const e = rel ? join(rel, name) : name;
      try {
        const st = lstatSync(join(dir, e));
        entries.push(`${e}|${st.size}|${st.mtimeMs}`);
        if (st.isDirectory()) queue.push(e);
      } catch { entries.push(e); }
    }
  }
  return hashValue(entries);
}

function place(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  if (existsSync(to)) return;
  try { linkSync(from, to); } catch { copyFileSync(from, to); }
}

export class StepCache {
  private readonly fileHashes = new Map<string, string>();

  constructor(private readonly keyv: Keyv, private readonly blobsDir: string) {}

  private async fileHash(p: string): Promise<string> {
    const st = statSync(p);
    const memo = `${p}|${st.size}|${st.mtimeMs}`;
    let h = this.fileHashes.get(memo);
    if (!h) { h = await hashFile(p); this.fileHashes.set(memo, h); }
    return h;
  }

  /**
   * Files the step reads are part of the key by content, not by name: those the inputs name
   * (absolute, or relative to the pipeline) and those the plugin's config names (the loader
   * made config paths absolute) — a new logo under the same name is a new render.
   */
  async key(plugin: LoadedPlugin, pluginConfig: unknown, input: Json, resolve: (p: string) => string | undefined): Promise<string> {
    const files: Record<string, string> = {};
    const note = async (s: string, p: string | undefined) => {
      if (!p || files[s]) return;
      if (isFile(p)) files[s] = await this.fileHash(p);
      else if (isDir(p)) files[s] = dirListingHash(p);
    };
    // only what the step may read: paths inside the project (or an allowed folder) — not "/",
    // nor a URL path such as a config's "/contact"
    for (const s of strings(input)) {
      if (s.length > 4096 || !(isAbsolute(s) || /[/\\]|\.\w{1,5}$/.test(s))) continue;
      await note(s, resolve(s));
    }
    for (const s of strings(pluginConfig)) if (s.length <= 4096 && isAbsolute(s)) await note(s, resolve(s));
    // a file counts by its content and name, not by where it lies: an upstream step's output
    // lands in a new run folder each run, and the same bytes must give the same key
    const keyed = (v: Json) => mapStrings(v, (s) => (files[s] ? `file:${files[s]}:${basename(s)}` : s));
    return `step:${hashValue({ id: plugin.def.id, version: plugin.def.version, source: plugin.source, config: keyed(pluginConfig), input: keyed(input) })}`;
  }

  /** Outputs for `key` with their files linked into `workdir`, or undefined on a miss. */
  async get(key: string, workdir: string): Promise<Json | undefined> {
    const entry = (await this.keyv.get(key)) as { outputs: Json } | undefined;
    if (!entry) return undefined;
    let missing = false;
    const outputs = mapStrings(entry.outputs, (s) => {
      if (!s.startsWith(MARK)) return s;
      const [hash, rel] = [s.slice(MARK.length, MARK.length + 64), s.slice(MARK.length + 65)];
      const blob = this.blobPath(hash);
      if (!existsSync(blob)) { missing = true; return s; }
      const target = join(workdir, rel);
      place(blob, target);
      return target;
    });
    if (missing) {
      await this.keyv.delete(key);
      return undefined;
    }
    return outputs;
  }

  async set(key: string, outputs: Json, workdir: string, ttlMs: number | undefined): Promise<void> {
    const blobs = new Map<string, string>();
    for (const s of strings(outputs)) {
      if (!isAbsolute(s) || !s.startsWith(workdir + sep) || !isFile(s)) continue;
      const hash = await this.fileHash(s);
      place(s, this.blobPath(hash));
      blobs.set(s, `${MARK}${hash}:${relative(workdir, s)}`);
    }
    await this.keyv.set(key, { outputs: mapStrings(outputs, (s) => blobs.get(s) ?? s) }, ttlMs);
  }

  private blobPath(hash: string): string {
    return join(this.blobsDir, hash.slice(0, 2), hash);
  }
}
