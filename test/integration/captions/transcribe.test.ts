/**
 * captions.transcribe against a loopback OpenAI-compatible /v1/audio/transcriptions: the
 * multipart request, word timestamps, segments-only answers (words spread, with a warning),
 * failures classified, the key never shown, and the step cached by the audio's content.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTestContext } from 'mpv2/testing';
import { openProject } from '../../../src/engine/project.js';
import { executePrepared, prepareRun } from '../../../src/engine/run.js';
import { namespace } from '../../../plugins/captions/index.js';
import transcribe from '../../../plugins/captions/transcribe.js';
import { SPREAD_WARNING } from '../../../plugins/captions/transcript-words.js';
import { startTranscriptionServer, type ScriptedAnswer, type TranscriptionServer } from '../../servers/transcribe-openai.js';

const KEY = 'sk-transcribe-secret-123';
const root = mkdtempSync(join(tmpdir(), 'mpv2-transcribe-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
writeFileSync(join(root, 'voice.wav'), Buffer.from('RIFF-not-really-audio-but-bytes'));

const WORDS: ScriptedAnswer['words'] = [['Hello', 0.1, 0.4], ['there,', 0.45, 0.8], ['brave', 1.2, 1.5], ['new', 1.55, 1.7], ['world.', 1.75, 2.2]];

let server: TranscriptionServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

async function run(answer: ScriptedAnswer, input: Record<string, unknown>, opts: { key?: string; config?: Record<string, unknown> } = {}) {
  server = await startTranscriptionServer(KEY, answer);
  const t = createTestContext({
    plugin: transcribe, namespace, root,
    config: { transcription: { baseUrl: server.baseUrl, ...opts.config } },
    secrets: { OPENAI_API_KEY: opts.key ?? KEY },
  });
  try {
    return { out: await t.run(input) as Record<string, unknown>, logs: t.logs, requests: server.requests };
  } catch (e) {
    return { error: e as Error & { code?: string; hint?: string; notDone?: boolean; retryable?: boolean }, logs: t.logs, requests: server.requests };
  } finally {
    await t.close();
  }
}

describe('captions.transcribe (OpenAI-compatible)', () => {
  it('sends the audio as multipart verbose_json with word timestamps and returns the words shape', async () => {
    const { out, logs, requests } = await run({ mode: 'words', words: WORDS }, { audio: 'voice.wav', language: 'pt-BR' });
    expect(requests).toEqual([{ model: 'whisper-1', response_format: 'verbose_json', granularities: ['word', 'segment'], language: 'pt', fileName: 'voice.wav', fileBytes: 31 }]);
    expect(out).toEqual({
      text: 'Hello there, brave new world.',
      words: WORDS.map(([text, start, end]) => ({ text, start, end })),
      language: 'pt',
      provider: 'openai',
    });
    expect(logs.some((l) => l.level === 'warn')).toBe(false);
  });

  it('takes the language the server heard when none is given', async () => {
    const { out, requests } = await run({ mode: 'words', words: WORDS, language: 'english' }, { audio: 'voice.wav' });
    expect(requests[0]!.language).toBeUndefined();
    expect(out!.language).toBe('english');
  });

  it('spreads each segment\'s words over it when the server gives only segments, and warns', async () => {
    const { out, logs } = await run({ mode: 'segments', words: WORDS, segmentWords: 2 }, { audio: 'voice.wav' });
    const words = out!.words as Array<{ text: string; start: number; end: number }>;
    expect(words.map((w) => w.text)).toEqual(WORDS.map((w) => w[0]));
    // segments [0.1–0.8], [1.2–1.7], [1.75–2.2]: each word inside its own segment, in order
    expect(words[0]!.start).toBe(0.1);
    expect(words[1]!.end).toBeLessThanOrEqual(0.8);
    expect(words[2]!.start).toBe(1.2);
    expect(words[4]).toMatchObject({ start: 1.75 });
    for (let i = 1; i < words.length; i++) expect(words[i]!.start).toBeGreaterThanOrEqual(words[i - 1]!.end);
    // longer words get more time: "there," (6) longer than "Hello" (5)
    expect(words[1]!.end - words[1]!.start).toBeGreaterThan(words[0]!.end - words[0]!.start);
    expect(out!.warning).toBe(SPREAD_WARNING);
    expect(logs.some((l) => l.level === 'warn' && l.message.includes('only segments'))).toBe(true);
  });

  it('refuses an answer with text but no timestamps, clearly', async () => {
    const { error } = await run({ mode: 'text', words: WORDS }, { audio: 'voice.wav' });
    expect(error).toMatchObject({ code: 'E_HTTP' });
    expect(error!.message).toMatch(/without word or segment timestamps/);
  });

  it('a wrong key is E_AUTH naming the setting to check, and the key shows nowhere', async () => {
    const { error, logs } = await run({ mode: 'words', words: WORDS }, { audio: 'voice.wav' }, { key: 'sk-wrong-key-456' });
    expect(error).toMatchObject({ code: 'E_AUTH' });
    expect(error!.hint).toMatch(/OPENAI_API_KEY.*captions\.transcription\.apiKey/);
    expect(JSON.stringify({ m: error!.message, h: error!.hint, logs })).not.toMatch(/sk-wrong-key-456|sk-transcribe-secret/);
  });

  it('classifies failures: 4xx proves nothing was done, 5xx and 429 may be retried', async () => {
    const bad = await run({ mode: 'words', words: WORDS }, { audio: 'voice.wav' }, { config: { model: 'nope' } });
    expect(bad.error).toMatchObject({ code: 'E_HTTP', notDone: true, retryable: false });
    expect(bad.error!.hint).toMatch(/captions\.transcription\.model \("nope"\)/);
    for (const [status, code] of [[500, 'E_HTTP'], [429, 'E_RATE_LIMITED']] as const) {
      server = await startTranscriptionServer(KEY, { mode: 'words', words: WORDS });
      server.failNext(status, status, status);
      const t = createTestContext({ plugin: transcribe, namespace, root, config: { transcription: { baseUrl: server.baseUrl } }, secrets: { OPENAI_API_KEY: KEY } });
      await expect(t.run({ audio: 'voice.wav' })).rejects.toMatchObject({ code, retryable: true });
      await t.close();
      await server.close();
      server = undefined;
    }
  });

  it('without a key: E_MISSING_KEY naming where to set it; a missing file: E_FILE', async () => {
    const t = createTestContext({ plugin: transcribe, namespace, root, config: { transcription: { baseUrl: 'http://127.0.0.1:9' } } });
    try {
      await expect(t.run({ audio: 'voice.wav' })).rejects.toMatchObject({ code: 'E_MISSING_KEY', hint: expect.stringMatching(/OPENAI_API_KEY/) });
      await expect(t.run({ audio: 'nope.wav' })).rejects.toMatchObject({ code: 'E_FILE' });
    } finally {
      await t.close();
    }
  });
});

describe('captions.transcribe in a run', () => {
  it('is a pure step: the same audio content is transcribed once, other content again', async () => {
    server = await startTranscriptionServer(KEY, { mode: 'words', words: WORDS });
    const dir = join(root, 'project');
    mkdirSync(join(dir, 'pipelines'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"name":"p","private":true}');
    writeFileSync(join(dir, '.mpv2rc.json'), JSON.stringify({ captions: { transcription: { baseUrl: server.baseUrl } } }));
    writeFileSync(join(dir, 'pipelines', 't.yaml'), 'name: t\nsteps:\n  - id: t\n    uses: captions.transcribe\n    with: { audio: ../a.wav }\noutputs:\n  words: ${{ steps.t.outputs.words }}\n');
    const once = async (audio: string) => {
      writeFileSync(join(dir, 'a.wav'), audio);
      const project = await openProject({ cwd: dir, env: { OPENAI_API_KEY: KEY } });
      try {
        const req = { project, cwd: dir, file: 'pipelines/t.yaml', inputs: {}, signal: new AbortController().signal, sink: () => {} };
        const out = await executePrepared(req, await prepareRun(req));
        expect(out.result.error?.message).toBeUndefined();
        return out.result.outputs!.words;
      } finally {
        project.close();
      }
    };
    const first = await once('audio one');
    expect(await once('audio one')).toEqual(first);
    expect(server.requests).toHaveLength(1);
    await once('audio two');
    expect(server.requests).toHaveLength(2);
  }, 60_000);
});
