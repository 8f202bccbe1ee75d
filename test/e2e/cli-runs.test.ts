import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLlmServer, type LlmServer } from '../servers/llm.js';
import { ensureBuilt, HELLO, json, makeProject, mpv2 } from './cli-harness.js';

interface Summary { id: string; pipeline: string; status: string; durationMs?: number }
interface Report {
  id: string; status: string;
  steps: Array<{ stepId: string; plugin: string; status: string; cached: boolean; attempts: number; durationMs?: number }>;
  outputs?: Record<string, unknown>;
  llm: { calls: number; spent: { inputTokens: number; outputTokens: number; costUsd: number }; savedByCache: { calls: number; inputTokens: number; outputTokens: number; costUsd: number } };
}

const CHAT = `name: chat
steps:
  - id: a
    uses: llm.generate
    with: { prompt: "Say one word about bees", stream: false, callCache: false }
  - id: b
    uses: llm.generate
    with: { prompt: "Say one word about ants", stream: false, callCache: false }
`;

let root: string;
let llm: LlmServer;
const run = (args: string[]) => mpv2(args, { cwd: root });

beforeAll(async () => {
  await ensureBuilt();
  llm = await startLlmServer({ responder: () => ({ text: 'buzz' }) });
  root = makeProject({
    'pipelines/hello.yaml': HELLO,
    'pipelines/chat.yaml': CHAT,
    '.mpv2rc.yaml': `llm:\n  providers:\n    local: { type: openai, baseUrl: "${llm.url}/v1", model: test-model }\n  prices:\n    test-model: { input: 1000, output: 2000 }\n`,
  });
}, 300_000);
afterAll(async () => { await llm?.close(); });

describe('mpv2 runs', { timeout: 240_000 }, () => {
  let first: string;
  let second: string;

  it('list shows real runs newest first, and filters by pipeline', async () => {
    expect((await run(['run', 'pipelines/hello.yaml', '-i', 'who=Ada'])).code).toBe(0);
    first = json<Summary[]>(await run(['runs', 'list', '--json']))[0]!.id;
    expect((await run(['run', 'pipelines/hello.yaml', '-i', 'who=Ada'])).code).toBe(0);
    const r = await run(['runs', 'list', '--json']);
    expect(r.code).toBe(0);
    const runs = json<Summary[]>(r);
    expect(runs).toHaveLength(2);
    expect(runs.every((x) => x.pipeline === 'pipelines/hello.yaml' && x.status === 'succeeded' && typeof x.durationMs === 'number')).toBe(true);
    // newest first, by when each run started (two runs in one second have ids in either order)
    expect(runs[1]!.id).toBe(first);
    second = runs[0]!.id;

    const text = await run(['runs', 'list']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^ID\s+PIPELINE\s+STATUS\s+STARTED \(UTC\)\s+DURATION/);
    expect(text.stdout.indexOf(second)).toBeLessThan(text.stdout.indexOf(first));
    expect(json<Summary[]>(await run(['runs', 'list', '--json', '--limit', '1']))).toHaveLength(1);
    expect(json<Summary[]>(await run(['runs', 'list', '--json', '--pipeline', 'pipelines/chat.yaml']))).toHaveLength(0);
  });

  it('show gives each step with status, cached, attempts and duration', async () => {
    const rep = json<Report>(await run(['runs', 'show', second, '--json']));
    expect(rep.status).toBe('succeeded');
    const byId = Object.fromEntries(rep.steps.map((s) => [s.stepId, s]));
    expect(byId.greeting).toMatchObject({ plugin: 'core.set', status: 'succeeded', cached: true });
    expect(byId.save).toMatchObject({ plugin: 'file.write', status: 'succeeded', cached: false, attempts: 1 });
    expect(rep.outputs?.file).toBe(join(root, 'pipelines', 'out', 'hello.json'));
    const firstRep = json<Report>(await run(['runs', 'show', first, '--json']));
    expect(firstRep.steps.find((s) => s.stepId === 'greeting')?.cached).toBe(false);

    const text = await run(['runs', 'show', second]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Run ${second}: hello (pipelines/hello.yaml)`);
    expect(text.stdout).toMatch(/greeting\s+core\.set\s+succeeded\s+yes\s+\d+/);
    expect(text.stdout).toMatch(/save\s+file\.write\s+succeeded\s+no\s+1/);
    expect(text.stdout).toContain('file: pipelines/out/hello.json');
    expect(text.stdout).toContain('Hello, Ada!');
    expect(json<Report>(await run(['runs', 'show', 'latest', '--json'])).id).toBe(second);
  });

  it('show sums LLM tokens and cost, and counts cached LLM steps as calls saved', async () => {
    expect((await run(['run', 'pipelines/chat.yaml'])).code).toBe(0);
    const hitsAfterFirst = llm.count('/chat/completions');
    expect(hitsAfterFirst).toBe(2);
    const one = json<Report>(await run(['runs', 'show', 'latest', '--json']));
    expect(one.llm.calls).toBe(2);
    expect(one.llm.spent.inputTokens).toBeGreaterThan(0);
    expect(one.llm.spent.outputTokens).toBeGreaterThan(0);
    expect(one.llm.spent.costUsd).toBeCloseTo((one.llm.spent.inputTokens * 1000 + one.llm.spent.outputTokens * 2000) / 1e6, 6);
    expect(one.llm.savedByCache.calls).toBe(0);

    expect((await run(['run', 'pipelines/chat.yaml'])).code).toBe(0);
    expect(llm.count('/chat/completions')).toBe(hitsAfterFirst);
    const two = json<Report>(await run(['runs', 'show', 'latest', '--json']));
    expect(two.llm.calls).toBe(0);
    expect(two.llm.spent.inputTokens).toBe(0);
    expect(two.llm.savedByCache).toMatchObject({ calls: 2, inputTokens: one.llm.spent.inputTokens, outputTokens: one.llm.spent.outputTokens });
    const text = await run(['runs', 'show', 'latest']);
    expect(text.stdout).toContain('LLM: 0 call(s)');
    expect(text.stdout).toContain('2 call(s) saved by the cache');
  });

  it('show of an unknown run exits 2 with E_NOT_FOUND', async () => {
    const r = await run(['runs', 'show', 'no-such-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('✖ E_NOT_FOUND');
    expect(r.stderr).toContain('no run with id no-such-run');
  });

  it('prune keeps the newest runs and deletes the rest with their folders', async () => {
    const before = json<Summary[]>(await run(['runs', 'list', '--json']));
    expect(before).toHaveLength(4);
    expect(existsSync(join(root, '.mpv2', 'runs', first))).toBe(true);
    expect(existsSync(join(root, '.mpv2', 'logs', `${first}.log`))).toBe(true);
    // a run whose steps all came from the cache may have no folder: compare before and after
    const keptDir = join(root, '.mpv2', 'runs', before[0]!.id);
    const keptHadDir = existsSync(keptDir);
    const r = await run(['runs', 'prune', '--keep', '1', '--json']);
    expect(r.code).toBe(0);
    const res = json<{ deleted: string[]; kept: number; freedBytes: number }>(r);
    expect(res.deleted.sort()).toEqual(before.slice(1).map((x) => x.id).sort());
    expect(res.kept).toBe(1);
    expect(existsSync(join(root, '.mpv2', 'runs', first))).toBe(false);
    expect(existsSync(join(root, '.mpv2', 'logs', `${first}.log`))).toBe(false);
    expect(existsSync(keptDir)).toBe(keptHadDir);
    expect(existsSync(join(root, '.mpv2', 'logs', `${before[0]!.id}.log`))).toBe(true);
    expect(json<Summary[]>(await run(['runs', 'list', '--json'])).map((x) => x.id)).toEqual([before[0]!.id]);
    expect((await run(['runs', 'prune'])).stdout).toContain('Nothing to prune');
  });
});
