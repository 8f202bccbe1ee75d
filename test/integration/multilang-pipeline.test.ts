/**
 * pipelines/youtube-multilang.yaml end to end through the engine: the loopback LLM writes the
 * script and its translations (structured), real espeak-ng speaks each language, ffmpeg renders
 * each captioned Short (draft size), and each is uploaded to the loopback YouTube Data API with
 * the account of its language.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunEvent } from '../../src/engine/events.js';
import { openProject } from '../../src/engine/project.js';
import { executePrepared, prepareRun } from '../../src/engine/run.js';
import { openAccounts } from '../../src/infra/accounts/index.js';
import { scriptResponder, startLlmServer, type LlmServer, type RecordedRequest } from '../servers/llm.js';
import { startYoutubeServer, type YoutubeServer } from '../servers/youtube-api.js';

const CLIENT = { clientId: 'test-client.apps.googleusercontent.com', clientSecret: 'GOCSPX-test-secret-0123456789' };
const REPO = join(import.meta.dirname, '..', '..');
const TRANSLATIONS: Record<string, { title: string; description: string; narration: string }> = {
  ja: { title: 'タコの心臓', description: 'タコには心臓が三つあります。', narration: 'タコには心臓が三つあります。とても不思議です。' },
  ar: { title: 'قلوب الأخطبوط', description: 'للأخطبوط ثلاثة قلوب.', narration: 'للأخطبوط ثلاثة قلوب. هذا مدهش حقا.' },
};

let llm: LlmServer;
let yt: YoutubeServer;
let root: string;

function responder(req: RecordedRequest) {
  const messages = req.body.messages as Array<{ role: string; content: string }>;
  const user = messages.filter((m) => m.role === 'user').at(-1)!.content;
  const lang = /BCP 47 tag "([^"]+)"/.exec(user)?.[1];
  return lang ? { json: TRANSLATIONS[lang] } : scriptResponder(req);
}

beforeAll(async () => {
  llm = await startLlmServer({ responder });
  yt = await startYoutubeServer({ ...CLIENT, refreshTokens: ['rt-ja', 'rt-ar', 'rt-en'] });
  root = mkdtempSync(join(tmpdir(), 'mpv2-multilang-'));
  writeFileSync(join(root, 'package.json'), '{"name":"p","private":true}');
  writeFileSync(join(root, '.mpv2rc.yaml'), [
    'llm:', '  providers:', `    local: { type: openai, baseUrl: "${llm.url}/v1", model: test-model }`,
    'youtube:', ...Object.entries(yt.config).map(([k, v]) => `  ${k}: "${v}"`), '  chunkSize: 262144', '',
  ].join('\n'));
  cpSync(join(REPO, 'pipelines'), join(root, 'pipelines'), { recursive: true });
});
afterAll(async () => { await llm?.close(); await yt?.close(); rmSync(root, { recursive: true, force: true }); });

it('one script → a narrated, captioned Short per language → each uploaded to its language\'s account', async () => {
  const project = await openProject({ cwd: root, env: {} });
  try {
    const accounts = openAccounts({ root, kv: project.state().kv });
    for (const lang of ['ja', 'ar', 'en']) {
      await accounts.credentials.set(`yt-${lang}`, { ...CLIENT, refreshToken: `rt-${lang}` });
      await accounts.store.put({ name: `yt-${lang}`, platform: 'youtube', language: lang, settings: { driver: 'api' }, createdAt: new Date(0).toISOString() });
    }
    const events: RunEvent[] = [];
    const req = {
      project, cwd: root, file: 'pipelines/youtube-multilang.yaml', signal: new AbortController().signal, sink: (e: RunEvent) => { events.push(e); },
      inputs: { topic: 'Octopus hearts', languages: ['ja', 'ar'], seconds: 5, quality: 'draft' },
    };
    const out = await executePrepared(req, await prepareRun(req));
    expect(out.result.error?.message).toBeUndefined();
    expect(out.result.status).toBe('succeeded');
    const uploads = out.result.outputs!.uploads as Array<{ account: string; videoId: string }>;
    expect(uploads.map((u) => u.account)).toEqual(['yt-ja', 'yt-ar']);
    const titles = uploads.map((u) => yt.videos.get(u.videoId)!.metadata.snippet!.title);
    expect(titles).toEqual([TRANSLATIONS.ja!.title, TRANSLATIONS.ar!.title]);
    expect(yt.videos.size).toBe(2);
    // each translation was asked in its own language
    const systems = llm.requests.map((r) => (r.body.messages as Array<{ content: string }>)[0]!.content);
    expect(systems.some((s) => s.includes('(language tag ja)'))).toBe(true);
    expect(systems.some((s) => s.includes('(language tag ar)'))).toBe(true);
  } finally {
    project.close();
  }
}, 300_000);
