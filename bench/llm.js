// The LLM cache, measured: the youtube-short pipeline 10 times over 3 topics against a local
// OpenAI-compatible server that counts requests. Prints calls made vs calls a cache-less run
// needs, and the wall time of a fully cached re-run (through the CLI, start-up included).
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const TOPICS = ['Octopus hearts', 'Why the sky is blue', 'How bees dance'];
const RUNS = 10;

/** The part of chat-completions the pipeline uses, answering the short-script prompt. */
function startServer() {
  let calls = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      calls++;
      const msgs = JSON.parse(body).messages ?? [];
      const prompt = String(msgs.at(-1)?.content ?? '');
      const topic = /about:\s*(.+)/.exec(prompt)?.[1]?.trim() ?? 'something';
      const script = {
        title: `The truth about ${topic}`.slice(0, 100),
        description: `A short look at ${topic}.`,
        tags: ['shorts', 'facts'],
        narration: `Here is something surprising about ${topic}. Most people never notice it.`,
        imageQueries: [`${topic} close up`, `${topic} landscape`],
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', model: 'bench', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify(script) } }], usage: { prompt_tokens: 300, completion_tokens: 80 } }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, calls: () => calls, close: () => server.close() })));
}

const server = await startServer();
const root = mkdtempSync(join(tmpdir(), 'mpv2-bench-llm-'));
writeFileSync(join(root, 'package.json'), '{"name":"bench","private":true}\n');
writeFileSync(join(root, '.mpv2rc.yaml'), `llm:\n  defaultProvider: local\n  providers:\n    local: { type: openai, baseUrl: ${server.url}/v1, model: bench, apiKey: sk-bench-0000 }\n`);
cpSync(join(REPO, 'pipelines'), join(root, 'pipelines'), { recursive: true });
cpSync(join(REPO, 'assets', 'music'), join(root, 'assets', 'music'), { recursive: true });

// async spawn: the LLM server lives in this process and must keep answering
const run = (topic) => new Promise((resolve, reject) => {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(REPO, 'bin', 'run.js'), 'run', 'pipelines/youtube-short.yaml', '-i', `topic=${topic}`, '-i', 'seconds=10', '--json'], { cwd: root, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`run failed (${code}): ${stderr.slice(-800)}`))));
});

try {
  const walls = [];
  for (let i = 0; i < RUNS; i++) for (const t of TOPICS) walls.push({ first: i === 0, ms: await run(t) });
  const made = server.calls();
  const needed = RUNS * TOPICS.length;
  const cachedWalls = walls.filter((w) => !w.first).map((w) => w.ms).sort((a, b) => a - b);
  const median = cachedWalls[Math.floor(cachedWalls.length / 2)];
  console.log(`youtube-short × ${RUNS} runs × ${TOPICS.length} topics`);
  console.log(`LLM calls made: ${made}; without the cache: ${needed}; saved: ${needed - made} (${Math.round((1 - made / needed) * 100)}%)`);
  console.log(`cold runs (script + voice + images + render): ${walls.filter((w) => w.first).map((w) => `${(w.ms / 1000).toFixed(1)} s`).join(', ')}`);
  console.log(`fully cached re-run, CLI included: median ${(median / 1000).toFixed(2)} s (target < 1 s) over ${cachedWalls.length} runs`);
} finally {
  server.close();
  rmSync(root, { recursive: true, force: true });
}
