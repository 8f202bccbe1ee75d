/**
 * The runs of `mpv2 serve` and `mpv2 mcp`, set up once for both: a RunManager over this
 * project's journal and, when `queue.url` is set, over the workers' shared stores too, so
 * runs are queued to the workers, their runs read in the shared journal and their events
 * followed on their Redis event streams (approvals in Redis are decided through the project's
 * config, src/queue/approvals.ts).
 */
import type { Project } from '../engine/project.js';
import type { SharedStores } from '../queue/redis/stores.js';
import { rootRelativeJournal } from '../infra/store/root-relative.js';
import { RunManager } from './runs.js';

export interface OpenRuns {
  runs: RunManager;
  /** The workers' shared stores, when `queue.url` is set. */
  shared?: SharedStores;
  /** Stops the runs of this process (as Ctrl-C does), then drops the shared stores' connection. */
  close(): Promise<void>;
}

/** Refuses an unreachable `queue.url` now (a clear error at start, not a hang at the first request). */
export async function openRuns(project: Project, o: { pollMs?: number } = {}): Promise<OpenRuns> {
  const url = project.config.values.queue.url;
  const shared = url ? await openShared(project, url) : undefined;
  // a connection per followed run: XREAD BLOCK holds it
  const streams = shared && (await import('../queue/redis/event-stream.js')).EventStreamReader;
  const runs = new RunManager(project, {
    pollMs: o.pollMs,
    ...(shared && { shared: rootRelativeJournal(shared.stores.journal, project.root), streams: () => streams!.open(url!, shared.prefix, project.root) }),
  });
  return {
    runs, shared,
    async close() {
      await runs.close();
      await shared?.close();
    },
  };
}

async function openShared(project: Project, url: string): Promise<SharedStores> {
  const { pingRedis } = await import('../queue/redis/connection.js');
  const { openSharedStores } = await import('../queue/redis/stores.js');
  const { queuePrefix } = await import('../queue/backend.js');
  await pingRedis(url);
  return openSharedStores(url, queuePrefix());
}
