/** Shared set-up of the youtube tests: a project folder with a video, a context wired to the fake API. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestContext, type TestContext } from '../../helpers/context.js';
import type { Account } from '../../../src/plugin/types.js';
import { namespace } from '../../../plugins/youtube/index.js';
import type { YoutubeServer } from '../../servers/youtube-api.js';

export const CLIENT = { clientId: 'test-client.apps.googleusercontent.com', clientSecret: 'GOCSPX-test-secret-0123456789' };

export function project(videoBytes = 1_300_000): { root: string; video: Buffer } {
  const root = mkdtempSync(join(tmpdir(), 'mpv2-yt-'));
  const video = randomBytes(videoBytes);
  writeFileSync(join(root, 'short.mp4'), video);
  writeFileSync(join(root, 'thumb.png'), randomBytes(5000));
  writeFileSync(join(root, 'short.srt'), '1\n00:00:00,000 --> 00:00:01,000\nHello there\n');
  return { root, video };
}

export function apiContext(server: YoutubeServer, root: string, o: {
  accounts?: Array<Partial<Account> & { name: string; platform: string }>;
  credentials?: Record<string, Record<string, string>>;
  config?: Record<string, unknown>;
  signal?: AbortSignal;
  /** A run of its own: account picks are journaled per run and step, as in the engine. */
  runId?: string;
  now?: () => Date;
} = {}): TestContext {
  return makeTestContext({
    namespace,
    root,
    signal: o.signal,
    runId: o.runId,
    now: o.now,
    config: { ...server.config, chunkSize: 262144, resumeBackoffMs: 0, ...(o.config ?? {}) },
    accounts: o.accounts ?? [{ name: 'main', platform: 'youtube', settings: { driver: 'api' } }],
    credentials: o.credentials ?? { main: { ...CLIENT, refreshToken: 'rt-main' } },
  });
}

import type { UploadInput } from '../../../plugins/youtube/types.js';

/** `with` as the engine hands it over (defaults filled). */
export function input(over: Partial<UploadInput> & { video: string; title: string }): UploadInput {
  return { account: '', description: '', tags: [], categoryId: '22', visibility: 'private', madeForKids: false, syntheticMedia: false, ...over };
}
