/**
 * captions.transcribe with provider `local`: the real whisper.cpp binding
 * (@fugood/node-whisper-<platform>-<arch>) runs a tiny model made by the test
 * (test/helpers/whisper-model.ts) on audio made by ffmpeg — load, transcribe with token
 * timestamps, tokens joined into words — and every way the setup can be wrong gets its clear
 * error: no model set, a missing file, a file that is not a model, a damaged model, a language
 * the model does not know, the binding not installed. No model is downloaded.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFfmpeg, runFfmpeg } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { createTestContext } from 'mpv2/testing';
import { captionsCheck } from '../../../plugins/captions/check.js';
import type { CaptionsConfig } from '../../../plugins/captions/config.js';
import { namespace } from '../../../plugins/captions/index.js';
import transcribe from '../../../plugins/captions/transcribe.js';
import { createLocalTranscriber } from '../../../plugins/captions/transcribe-local.js';
import { findWhisperBinding, loadWhisperBinding, WHISPER_PACKAGE } from '../../../plugins/captions/whisper-binding.js';
import { writeTinyWhisperModel, type ScriptedSegment } from '../../helpers/whisper-model.js';

const root = mkdtempSync(join(tmpdir(), 'mpv2-whisper-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const DURATION = 2.5;
beforeAll(async () => {
  // a steady tone: whisper.cpp's token times follow the audio's energy, and a tone has it everywhere
  const { ffmpeg } = await findFfmpeg();
  await runFfmpeg(ffmpeg, ['-f', 'lavfi', '-i', `sine=frequency=220:duration=${DURATION}`, '-ar', '44100', '-ac', '2', join(root, 'voice.wav')]);
});

const SCRIPT: ScriptedSegment[] = [
  { start: 0, end: 1, pieces: [' Hel', 'lo', ',', ' brave'] },
  { start: 1, end: 2, pieces: [' new', ' wor', 'ld', '.'] },
];
const model = (name: string, o: Parameters<typeof writeTinyWhisperModel>[1] = { segments: SCRIPT }) => {
  writeTinyWhisperModel(join(root, name), o);
  return name;
};

type Word = { text: string; start: number; end: number };
type Failure = Error & { code?: string; hint?: string; pluginCode?: string };

async function run(input: Record<string, unknown>, local: Record<string, unknown>, opts: { language?: string } = {}) {
  const t = createTestContext({ plugin: transcribe, namespace, root, config: { transcription: { provider: 'local', local } }, ...opts });
  try {
    return { out: await t.run({ audio: 'voice.wav', ...input }) as { text: string; words: Word[]; language: string; provider: string }, progress: t.progress, logs: t.logs };
  } catch (e) {
    return { error: e as Failure, logs: t.logs };
  } finally {
    await t.close();
  }
}

// the binding ships for linux-x64 (and darwin, win32 …); where mpv2's CI runs it must be installed
const required = process.platform === 'linux' && process.arch === 'x64';

describe.skipIf(!required && !findWhisperBinding(root))(`captions.transcribe with whisper.cpp (${WHISPER_PACKAGE})`, () => {
  it('transcribes with the real binding: tokens joined into words, in order, inside the audio', async () => {
    const { out, progress, error } = await run({}, { modelPath: model('en.bin'), threads: 1 });
    expect(error).toBeUndefined();
    expect(out!.provider).toBe('local');
    expect(out!.text).toBe('Hello, brave new world.');
    expect(out!.language).toBe('en');
    expect(out!.words.map((w) => w.text)).toEqual(['Hello,', 'brave', 'new', 'world.']);
    let prevEnd = 0;
    for (const w of out!.words) {
      expect(w.start).toBeGreaterThanOrEqual(prevEnd);
      expect(w.end).toBeGreaterThan(w.start);
      expect(w.end).toBeLessThanOrEqual(DURATION);
      prevEnd = w.end;
    }
    // the script's timestamps: the first segment spans 0–1 s, the second 1–2 s
    expect(out!.words[0]!.start).toBe(0);
    expect(out!.words[1]!.end).toBeCloseTo(1, 2);
    expect(out!.words[2]!.start).toBeCloseTo(1, 2);
    expect(out!.words[3]!.end).toBeCloseTo(2, 2);
    expect(progress!.at(-1)).toMatchObject({ fraction: 1 });
  });

  it('spells a character that byte-level tokens split in two', async () => {
    // " naïve" as " na" + 0xC3 + 0xAF "ve": whisper.cpp makes each its own piece, and a piece
    // holding half of "ï" reaches JavaScript as U+FFFD
    const segments = [{ start: 0, end: 1.5, pieces: [' na', Buffer.from([0xc3]), Buffer.from([0xaf, 0x76, 0x65]), ' art'] }];
    const { out } = await run({}, { modelPath: model('naive.bin', { segments }) });
    expect(out!.words.map((w) => w.text)).toEqual(['naïve', 'art']);
    expect(out!.text).toBe('naïve art');
  });

  it('silence: whisper.cpp\'s [BLANK_AUDIO] is not a word', async () => {
    const segments = [{ start: 0, end: 2, pieces: [' [', 'BL', 'ANK', '_', 'AUDIO', ']'] }];
    expect((await run({}, { modelPath: model('blank.bin', { segments }) })).out).toMatchObject({ text: '', words: [], language: 'en' });
  });

  it('a multilingual model detects the language when none is given, and takes the one given (the step\'s, else the pipeline\'s)', async () => {
    const modelPath = model('multi.bin', { segments: SCRIPT, multilingual: true, detects: 'de' });
    expect((await run({}, { modelPath })).out).toMatchObject({ language: 'de', text: 'Hello, brave new world.' });
    expect((await run({ language: 'fr-CA' }, { modelPath })).out).toMatchObject({ language: 'fr', text: 'Hello, brave new world.' });
    expect((await run({}, { modelPath }, { language: 'es' })).out).toMatchObject({ language: 'es' });
  });

  it('refuses a language the model does not know, before transcribing', async () => {
    const en = await run({ language: 'de' }, { modelPath: model('en.bin') });
    expect(en.error).toMatchObject({ code: 'E_INPUT_INVALID', hint: expect.stringMatching(/multilingual model .*ggml-base\.bin/) });
    expect(en.error!.message).toMatch(/English-only.*"de"/);
    expect((await run({}, { modelPath: model('en.bin') }, { language: 'ja' })).error).toMatchObject({ code: 'E_INPUT_INVALID' });
    const unknown = await run({ language: 'xx' }, { modelPath: model('multi.bin', { segments: SCRIPT, multilingual: true }) });
    expect(unknown.error).toMatchObject({ code: 'E_INPUT_INVALID', message: expect.stringMatching(/does not know the language "xx"/) });
    // yue is whisper.cpp's 100th language: only large-v3's vocabulary has its token
    expect((await run({ language: 'yue' }, { modelPath: 'multi.bin' })).error!.message).toMatch(/knows 99 languages/);
  });

  it('a damaged model: whisper.cpp\'s own reason, under the setting\'s name', async () => {
    const whole = readFileSync(join(root, model('en.bin')));
    writeFileSync(join(root, 'damaged.bin'), whole.subarray(0, 2_000_000));
    const { error } = await run({}, { modelPath: 'damaged.bin' });
    expect(error).toMatchObject({ code: 'E_CONFIG_INVALID' });
    expect(error!.message).toMatch(/captions\.transcription\.local\.modelPath: whisper\.cpp could not load .*damaged\.bin: .*not all tensors loaded/);
  });

  it('stops waiting at once when the step is aborted', async () => {
    const ac = new AbortController();
    const t = createTestContext({ namespace, root, config: { transcription: { provider: 'local', local: { modelPath: model('en.bin') } } } });
    try {
      const ctx = t.context();
      // aborted at whisper.cpp's first progress report, i.e. while it transcribes
      const aborting = new Proxy(ctx, { get: (c, k) => (k === 'progress' ? () => ac.abort() : Reflect.get(c, k)) }) as StepContext;
      const cfg = (ctx.config as CaptionsConfig).transcription;
      await expect(createLocalTranscriber(cfg, aborting).transcribe({ audio: join(root, 'voice.wav'), signal: ac.signal })).rejects.toMatchObject({ code: 'E_ABORTED' });
    } finally {
      await t.close();
    }
  });

  it('doctor: the binding loads and the model is described', async () => {
    const lines = await captionsCheck({ config: { transcription: { provider: 'local', local: { modelPath: model('en.bin') } } } as unknown as CaptionsConfig, secrets: {}, root } as never);
    expect(lines).toEqual([
      expect.objectContaining({ name: 'captions: whisper.cpp binding', ok: true, message: expect.stringContaining(`${WHISPER_PACKAGE} loads`) }),
      expect.objectContaining({ name: 'captions: whisper.cpp model', ok: true, message: 'en.bin: custom, English only, f32, 4 MB' }),
    ]);
  });
});

describe('captions.transcribe with provider local, set up wrongly', () => {
  it('no model set, a missing file, a file that is not a model: E_CONFIG_INVALID naming the setting and where to get models', async () => {
    writeFileSync(join(root, 'notes.bin'), 'not a model at all\n');
    // a download cut off right before the weights: whisper.cpp would load it as an empty test model and transcribe nothing
    writeTinyWhisperModel(join(root, 'whole.bin'), { segments: SCRIPT });
    const whole = readFileSync(join(root, 'whole.bin'));
    const firstTensor = whole.indexOf('encoder.positional_embedding') - 20; // n_dims, name length, type, 2 dims
    writeFileSync(join(root, 'no-weights.bin'), whole.subarray(0, firstTensor));
    for (const [local, message] of [
      [{}, /captions\.transcription\.local\.modelPath is not set/],
      [{ modelPath: 'no-weights.bin' }, /no-weights\.bin is not a whisper\.cpp model: it ends before its weights/],
      [{ modelPath: 'models/nope.bin' }, /captions\.transcription\.local\.modelPath: the model file models\/nope\.bin does not exist \(.*models\/nope\.bin\)/],
      [{ modelPath: 'notes.bin' }, /captions\.transcription\.local\.modelPath: .*notes\.bin is not a whisper\.cpp model: it does not start with the ggml magic/],
    ] as const) {
      const { error } = await run({}, local);
      expect(error).toMatchObject({ code: 'E_CONFIG_INVALID', hint: expect.stringMatching(/never does.*ggml-base\.en\.bin.*huggingface\.co\/ggerganov\/whisper\.cpp/) });
      expect(error!.message).toMatch(message);
    }
  });

  it('the binding not installed: E_DEPENDENCY_MISSING with the install command; a broken one says why', () => {
    const missing = (() => { try { loadWhisperBinding(root, '@fugood/node-whisper-nowhere'); } catch (e) { return e as Failure; } })();
    expect(missing).toMatchObject({ code: 'E_DEPENDENCY_MISSING', message: 'captions.transcribe (provider local) needs the npm package @fugood/node-whisper-nowhere (whisper.cpp), which is not installed' });
    expect(missing!.hint).toMatch(/`npm install @fugood\/node-whisper-nowhere` in the project/);
    // the project's node_modules is looked in first
    const pkg = join(root, 'node_modules', '@fugood', 'node-whisper-broken');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{"name":"@fugood/node-whisper-broken","main":"index.js"}');
    writeFileSync(join(pkg, 'index.js'), 'throw new Error("libgomp.so.1: cannot open shared object file");');
    expect(findWhisperBinding(root, '@fugood/node-whisper-broken')).toBe(join(pkg, 'index.js'));
    expect(() => loadWhisperBinding(root, '@fugood/node-whisper-broken')).toThrow(expect.objectContaining({ code: 'E_DEPENDENCY_MISSING', message: expect.stringMatching(/could not be loaded: libgomp/) }));
  });

  it('doctor: what is missing is an error only when local is the provider', async () => {
    const check = (provider: string) => captionsCheck({ config: { transcription: { provider, local: {} } }, secrets: {}, root } as never);
    for (const line of await check('openai')) expect(line).toMatchObject({ ok: true });
    const model = (await check('local')).find((l) => l.name === 'captions: whisper.cpp model');
    expect(model).toMatchObject({ ok: false, level: 'error', message: 'captions.transcription.local.modelPath is not set', hint: expect.stringMatching(/ggml-base\.en\.bin/) });
  });
});
