/**
 * The npm `espeak-ng` package: espeak-ng's command line compiled to WebAssembly, voice data
 * embedded. It runs everywhere Node runs but reports no word timings. The 18 MB module is
 * compiled once per process and each call instantiates it (about 130–220 ms a sentence).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mpv2Error } from 'mpv2/plugin';
import type { EspeakVoice } from './espeak-lib.js';

interface EmscriptenModule {
  FS: { writeFile(path: string, data: string | Uint8Array): void; readFile(path: string): Uint8Array };
}
type Factory = (opts: Record<string, unknown>) => Promise<EmscriptenModule>;

let runtime: Promise<{ factory: Factory; module: WebAssembly.Module; version: string }> | undefined;

function load() {
  runtime ??= (async () => {
    let entry: string;
    try {
      entry = createRequire(import.meta.url).resolve('espeak-ng');
    } catch (e) {
      throw mpv2Error('E_DEPENDENCY_MISSING', 'the npm package espeak-ng is not installed', { cause: e, hint: 'run `npm install espeak-ng`' });
    }
    const dir = dirname(entry);
    const [mod, bytes] = await Promise.all([import(pathToFileURL(entry).href) as Promise<{ default: Factory }>, readFile(join(dir, 'espeak-ng.wasm'))]);
    const pkg = JSON.parse(await readFile(join(dir, '..', 'package.json'), 'utf8')) as { version?: string };
    return { factory: mod.default, module: await WebAssembly.compile(bytes), version: pkg.version ?? 'unknown' };
  })();
  runtime.catch(() => { runtime = undefined; });
  return runtime;
}

/** Runs the espeak-ng CLI once; returns what it printed and the file it wrote, if asked. */
async function runCli(args: string[], input?: string, output?: string): Promise<{ out: string[]; err: string[]; file?: Uint8Array }> {
  const { factory, module } = await load();
  const out: string[] = [];
  const err: string[] = [];
  const es = await factory({
    arguments: args,
    print: (s: string) => out.push(s),
    printErr: (s: string) => { if (!/keepRuntimeAlive|program exited/.test(s)) err.push(s); },
    preRun: [(m: EmscriptenModule) => { if (input !== undefined) m.FS.writeFile('/in.txt', input); }],
    instantiateWasm(imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) {
      void WebAssembly.instantiate(module, imports).then(done);
      return {};
    },
  });
  let file: Uint8Array | undefined;
  if (output) {
    try { file = es.FS.readFile(output); } catch { file = undefined; }
  }
  return { out, err, file };
}

export async function wasmVersion(): Promise<string> {
  return (await load()).version;
}

/** Synthesizes `text` to a 22050 Hz mono WAV. */
export async function wasmSynth(text: string, voice: string, wpm: number): Promise<Buffer> {
  const r = await runCli(['-b', '1', '-v', voice, '-s', String(Math.round(wpm)), '-w', '/out.wav', '-f', '/in.txt'], text, '/out.wav');
  if (!r.file || r.file.length <= 44) {
    const why = r.err.join(' ').trim();
    if (/voice does not exist/i.test(why)) throw mpv2Error('E_INPUT_INVALID', `espeak-ng has no voice "${voice}"`);
    throw mpv2Error('E_PLUGIN_FAILED', `espeak-ng (wasm) produced no audio${why ? `: ${why}` : ''}`);
  }
  return Buffer.from(r.file.buffer, r.file.byteOffset, r.file.byteLength);
}

let voiceList: Promise<EspeakVoice[]> | undefined;

/** Parses `espeak-ng --voices` (Pty Language Age/Gender VoiceName File Other Languages). */
export function wasmVoices(): Promise<EspeakVoice[]> {
  voiceList ??= runCli(['--voices']).then((r) => r.out.slice(1).flatMap((line) => {
    const m = /^\s*\d+\s+(\S+)\s+\S+\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) return [];
    const others = m[4]!.split(/\s+/).filter(Boolean).map((o) => o.replace(/^\(|\)$/g, '').split(/\s+/)[0]!);
    return [{ name: m[2]!.replace(/_/g, ' '), identifier: m[3]!, languages: [m[1]!, ...others] }];
  }));
  voiceList.catch(() => { voiceList = undefined; });
  return voiceList;
}
