/**
 * A real redis-server for tests: loopback only, on a free port, no RDB snapshots; with
 * `appendonly` its data lives in a temporary folder and survives `restart()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRedis {
  url: string;
  port: number;
  /** SIGTERM and wait; with appendonly the data is kept for `start()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder. */
  start(): Promise<void>;
  /** stop() and remove the folder. */
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
  });
}

/** The process id of the redis-server answering on `port`, or undefined while none answers. */
function answeringPid(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const c = createConnection({ port, host: '127.0.0.1' });
    c.setTimeout(2000, () => c.destroy()); // something that is not redis may never answer
    c.once('connect', () => c.write('INFO server\r\n'));
    c.on('data', (d) => {
      text += d.toString();
      const pid = /process_id:(\d+)/.exec(text)?.[1];
      if (pid) { c.destroy(); resolve(Number(pid)); }
    });
    c.once('error', () => resolve(undefined));
    c.once('close', () => resolve(undefined));
  });
}

/** Thrown when the port was taken between `freePort` and redis-server binding it. */
class PortTaken extends Error {}

/**
 * Waits until `child` answers on `port`. The port was free a moment before, not reserved: if
 * another process took it since, our server exits (address in use) or another redis-server
 * answers there, and the caller tries another port rather than sharing someone else's data.
 */
async function waitReady(child: ChildProcess, port: number, deadline: number): Promise<void> {
  for (;;) {
    const pid = await answeringPid(port);
    if (pid === child.pid) return;
    if (child.exitCode !== null || child.signalCode !== null || pid !== undefined) throw new PortTaken(`port ${port} was taken by another process`);
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface RedisOptions {
  appendonly?: boolean;
  /** Picks the port to try (default: one free a moment ago); its own test passes a taken one. */
  pickPort?: () => Promise<number>;
}

export async function startRedis(o: RedisOptions = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'mpv2-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--daemonize', 'no', '--appendonly', o.appendonly ? 'yes' : 'no', '--appendfsync', 'always'];
    const c = spawn('redis-server', args, { stdio: 'ignore' });
    child = c;
    c.on('error', () => undefined);
    try {
      await waitReady(c, port, Date.now() + 10_000);
    } catch (e) {
      child = undefined;
      c.kill('SIGKILL');
      throw e;
    }
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill('SIGTERM'); });
  };
  for (let attempt = 1; ; attempt++) {
    port = await (o.pickPort ?? freePort)();
    try {
      await start();
      break;
    } catch (e) {
      if (!(e instanceof PortTaken) || attempt === 5) { rmSync(dir, { recursive: true, force: true }); throw e; }
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`, port, start, stop,
    async close() { await stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}
