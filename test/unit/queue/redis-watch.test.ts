/** RedisWatch: one line for an outage and one for its end, however many reconnect attempts and errors come between; the backoff is capped. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { splitGrace } from '../../../src/queue/grace.js';
import { reconnectDelay, type Redis } from '../../../src/queue/redis/connection.js';
import { isConnectionError, RedisWatch } from '../../../src/queue/redis/watch.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });

describe('RedisWatch', () => {
  it('tells the outage once and the recovery once, counting the attempts between', () => {
    const lines: string[] = [];
    let t = 0;
    const states: boolean[] = [];
    const client = new EventEmitter();
    const watch = new RedisWatch({ url: 'redis://:pw@10.0.0.5:6380/0', now: () => t, log: (level, m) => lines.push(`${level} ${m}`), onChange: (up) => states.push(up) }).watch(client as unknown as Redis);
    client.emit('ready');
    expect(lines).toEqual([]);
    client.emit('close');
    for (let i = 0; i < 50; i++) { client.emit('reconnecting', 100); client.emit('error', refused()); client.emit('close'); }
    watch.lost('Connection is closed.'); // BullMQ's connections say it too
    expect(watch.down).toBe(true);
    t = 192_400;
    client.emit('ready');
    client.emit('ready');
    expect(lines).toEqual([
      'warn Redis unreachable at 10.0.0.5:6380 (the connection closed); reconnecting with backoff (at most every 5 s); runs wait for it',
      'info Redis reachable again at 10.0.0.5:6380 after 3m 12s (50 reconnect attempt(s))',
    ]);
    expect(states).toEqual([false, true]);
    expect(watch.attempts).toBe(50);
  });

  it('its own closing is no outage; whenDown resolves on the next one', async () => {
    const lines: string[] = [];
    const client = new EventEmitter();
    const watch = new RedisWatch({ url: 'redis://127.0.0.1:6379', log: (_l, m) => lines.push(m) }).watch(client as unknown as Redis);
    const down = watch.whenDown();
    client.emit('error', refused());
    await down;
    expect(lines).toHaveLength(1);
    watch.close();
    client.emit('ready');
    client.emit('close');
    expect(lines).toHaveLength(1);
  });

  it('an error that is not about the connection is not an outage', () => {
    expect(isConnectionError(new Error('ERR unknown command'))).toBe(false);
    expect(isConnectionError(refused())).toBe(true);
    expect(isConnectionError(new Error('Connection is closed.'))).toBe(true);
  });
});

describe('backoff and grace', () => {
  it('reconnects after 200 ms, doubling, at most every 5 s', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(reconnectDelay)).toEqual([200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  it('runs get four fifths of the grace, at most all but its last 5 s', () => {
    expect(splitGrace(2000)).toEqual({ finishMs: 1600, closeMs: 400 });
    expect(splitGrace(30_000)).toEqual({ finishMs: 25_000, closeMs: 5000 });
    expect(splitGrace(0)).toEqual({ finishMs: 0, closeMs: 0 });
  });
});
