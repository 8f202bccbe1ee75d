/**
 * The test Redis helper itself: its port is one that was free a moment before, not reserved, so
 * another process may take it first. Then it starts on another port; it never hands out a URL
 * that reaches someone else's redis-server (two test files would share, and flush, one store).
 */
import { createServer, type Server } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../servers/redis.js';

const opened: TestRedis[] = [];
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(opened.map((r) => r.close()));
  for (const s of servers) s.close();
});

/** The given port first, then free ones. */
const takenFirst = (taken: number) => {
  let first = true;
  return async () => {
    if (first) { first = false; return taken; }
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const { port } = s.address() as { port: number };
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  };
};

it('a port another redis-server took meanwhile: starts its own elsewhere', async () => {
  const other = await startRedis();
  opened.push(other);
  const mine = await startRedis({ pickPort: takenFirst(other.port) });
  opened.push(mine);
  expect(mine.port).not.toBe(other.port);
});

it('a port something else took meanwhile: starts elsewhere', async () => {
  const s = createServer((c) => c.end());
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const taken = (s.address() as { port: number }).port;
  const mine = await startRedis({ pickPort: takenFirst(taken) });
  opened.push(mine);
  expect(mine.port).not.toBe(taken);
});
