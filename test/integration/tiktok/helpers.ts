/** Shared set-up of the tiktok tests: a project with real (tiny, padded) videos, a context on the loopback API. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestContext, type PluginTestContext, type TestAccount } from 'mpv2/testing';
import { namespace } from '../../../plugins/tiktok/index.js';
import upload from '../../../plugins/tiktok/upload.js';
import type { TiktokServer } from '../../servers/tiktok.js';

export const CLIENT = { clientKey: 'aw-test-client-key-01', clientSecret: 'tt-client-secret-0123456789abcdef' };
export const MiB = 1024 * 1024;

/** A 2 s MP4 that ffprobe reads (moov first), padded with random bytes to `bytes`. */
export function makeVideo(root: string, name: string, bytes: number, seconds = 2): string {
  const file = join(root, name);
  const base = join(root, `.base-${seconds}.mp4`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=64x64:rate=10`, '-t', String(seconds), '-pix_fmt', 'yuv420p', '-movflags', '+faststart', base]);
  copyFileSync(base, file);
  rmSync(base);
  appendFileSync(file, randomBytes(Math.max(0, bytes - statSync(file).size)));
  return name;
}

export function project(): string {
  return mkdtempSync(join(tmpdir(), 'mpv2-tiktok-'));
}

export interface Opts {
  root: string;
  /** Stored in the project before the run; a later run on the same project passes `[]` (they are there already, with rotated tokens). */
  accounts?: TestAccount[];
  config?: Record<string, unknown>;
  signal?: AbortSignal;
  runId?: string;
  /** The sleep of `ctx.accounts.waitForSlot` (a test moves its fake clock on here). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<unknown>;
  /** The clock of `ctx.accounts` (daily caps, slots). */
  now?: () => Date;
}

/** One "process" of mpv2 on the project: a new context over the same state is the next run. */
export function context(server: TiktokServer, o: Opts): PluginTestContext {
  return createTestContext({
    plugin: upload, namespace, root: o.root, signal: o.signal, runId: o.runId ?? `run-${randomBytes(3).toString('hex')}`, ...(o.sleep && { sleep: o.sleep }), ...(o.now && { now: o.now }),
    config: { apiBaseUrl: server.url, pollIntervalMs: 0, chunkSize: 5 * MiB, ...o.config },
    accounts: o.accounts ?? [{ name: 'main', platform: 'tiktok', secrets: { ...CLIENT, refreshToken: 'rt-initial' } }],
  });
}

export async function failure(p: Promise<unknown>): Promise<Error & { code: string; pluginCode?: string; hint?: string; details?: Record<string, unknown>; notDone?: boolean }> {
  try { await p; } catch (e) { return e as never; }
  throw new Error('expected a failure');
}
