/**
 * `mpv2 mcp` with `queue.url` (a real redis-server, a real in-process worker on the same
 * project, as `mpv2 worker` would run): the MCP server is set up as `mpv2 serve` is, so a
 * `run_<pipeline>` call queues the run to the workers, follows the worker's run on its Redis
 * event stream and returns the worker's outputs; get_run reads the run in the shared journal;
 * an approval the worker's run waits for is kept in Redis, decided through the tool, and the
 * run continues on the worker, acting once at a loopback HTTP server.
 * Driven by the official SDK's client over the SDK's in-memory transport pair.
 */
import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { openProject, type Project } from '../../../src/engine/project.js';
import { serveMcp, type McpSession } from '../../../src/mcp/stdio.js';
import { startWorker, type RunningWorker } from '../../../src/queue/service.js';
import { projectDir } from '../../helpers/project-dir.js';
import { startRedis, type TestRedis } from '../../servers/redis.js';
import { startScriptedServer, type ScriptedServer } from '../../servers/http-scripted.js';
import { GREET, PUBLISH } from './pipelines.js';

type ToolResult = { isError?: boolean; structuredContent?: Record<string, unknown> };

let redis: TestRedis;
let root: string;
let project: Project;
let workerProject: Project;
let worker: RunningWorker;
let session: McpSession;
let client: Client;
/** Run ids of the runs the worker ran, from its events. */
const ranByWorker = new Set<string>();
/** Each run.finished the worker sent, by run id. */
const finishedByWorker: Array<{ runId: string; status: string }> = [];
const onFinished = new Set<() => void>();
/** The loopback server the approved step posts to. */
let target: ScriptedServer;
let targetUrl: string;

beforeAll(async () => {
  redis = await startRedis();
  target = await startScriptedServer({ '/posts': { status: 201, json: { id: 'p1' } } });
  targetUrl = target.url;
  ({ root } = projectDir('mpv2-mcp-queue-', { name: 'mcp-queue' }, { 'pipelines/greet.yaml': GREET, 'pipelines/publish.yaml': PUBLISH }));
  const env = { REDIS_URL: redis.url };
  workerProject = await openProject({ cwd: root, env, lazyPlugins: true });
  worker = await startWorker({ project: workerProject, log: () => undefined, onEvent: (e: RunEvent) => {
    ranByWorker.add(e.runId);
    if (e.event === 'run.finished') {
      finishedByWorker.push({ runId: e.runId, status: e.status });
      for (const f of onFinished) f();
    }
  } });
  project = await openProject({ cwd: root, env, lazyPlugins: true });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  session = await serveMcp(project, serverSide, { pollMs: 50 });
  client = new Client({ name: 'mpv2-test', version: '1.0.0' });
  await client.connect(clientSide);
}, 60_000);
afterAll(async () => {
  await client?.close();
  await session?.close();
  await worker?.stop(1000);
  workerProject?.close();
  project?.close();
  await redis?.close();
  await target?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('mpv2 mcp with queue.url: runs go to the workers', () => {
  it('run_<pipeline> with waitSeconds queues the run, follows the worker\'s run and returns its outputs', async () => {
    const r = await client.callTool({ name: 'run_greet', arguments: { inputs: { who: 'Ada' }, waitSeconds: 60 } }) as ToolResult;
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ status: 'succeeded', outputs: { text: 'Hello, Ada!' } });
    const runId = r.structuredContent!.runId as string;
    // the worker ran it, not this process
    expect(ranByWorker.has(runId)).toBe(true);
    const got = await client.callTool({ name: 'get_run', arguments: { runId } }) as ToolResult;
    expect(got.structuredContent).toMatchObject({ runId, status: 'succeeded', outputs: { text: 'Hello, Ada!' } });
  }, 90_000);

  it('an approval of a worker\'s run is kept in Redis; decide_approval continues the run on the worker, which acts once', async () => {
    const r = await client.callTool({ name: 'run_publish', arguments: { inputs: { url: targetUrl }, waitSeconds: 60 } }) as ToolResult;
    expect(r.structuredContent).toMatchObject({ status: 'waiting-approval' });
    const runId = r.structuredContent!.runId as string;
    expect(ranByWorker.has(runId)).toBe(true);
    const pending = await client.callTool({ name: 'list_approvals', arguments: { runId } }) as ToolResult;
    const items = pending.structuredContent!.items as Array<{ id: string; stepId: string; source: string }>;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ stepId: 'post', source: 'redis' });
    expect(target.hits('/posts')).toBe(0);

    // wait for the worker's run.finished of the continued run, not for a time
    const succeeded = new Promise<void>((resolve) => {
      const check = () => { if (finishedByWorker.some((f) => f.runId === runId && f.status === 'succeeded')) resolve(); };
      onFinished.add(check);
    });
    const decided = await client.callTool({ name: 'decide_approval', arguments: { id: items[0]!.id, decision: 'approve' } }) as ToolResult;
    expect(decided.isError).toBeFalsy();
    expect(decided.structuredContent).toMatchObject({ continued: { runId, where: 'queue' } });
    await succeeded;
    const got = await client.callTool({ name: 'get_run', arguments: { runId } }) as ToolResult;
    expect(got.structuredContent).toMatchObject({ runId, status: 'succeeded', outputs: { status: 201 } });
    expect(target.hits('/posts')).toBe(1);
  }, 90_000);
});
