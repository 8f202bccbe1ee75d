import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mpv2Error } from '../../../src/errors.js';
import { createLogger } from '../../../src/infra/logger.js';
import { Redactor } from '../../../src/infra/redact.js';

const SECRET = 'pk_live_51HxSecretValue';
const dir = () => mkdtempSync(join(tmpdir(), 'mpv2-log-'));
const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('createLogger', () => {
  it('writes NDJSON to <dir>/<runId>.log with no secret in it', async () => {
    const redactor = new Redactor([SECRET]);
    const { logger, file, close } = createLogger({ dir: dir(), runId: 'run-1', level: 'debug', redactor });
    expect(file.endsWith('/run-1.log')).toBe(true);
    logger.info(`calling the API with ${SECRET}`);
    logger.debug('request', {
      url: `https://api.example/v1?key=${encodeURIComponent(SECRET)}`,
      headers: { Authorization: 'Bearer unregistered-token-1', cookie: 'sid=abc', Accept: 'json' },
      body: { nested: { apiKey: 'another-unregistered-key', text: `b64 ${Buffer.from(SECRET).toString('base64')}` } },
      request: { headers: { authorization: 'Basic dXNlcjpwYXNz' } },
    });
    logger.error('failed', { err: mpv2Error('E_HTTP', `answered 401 for ${SECRET}`, { cause: new Error(`inner ${SECRET}`) }) });
    logger.child({ stepId: 'voice', token: SECRET }).warn(`child ${SECRET}`);
    await close();
    const text = readFileSync(file, 'utf8');
    for (const s of [SECRET, encodeURIComponent(SECRET), Buffer.from(SECRET).toString('base64'), 'unregistered-token-1', 'sid=abc', 'another-unregistered-key', 'dXNlcjpwYXNz']) {
      expect(text).not.toContain(s);
    }
    const [a, b, c, d] = lines(file);
    expect(a).toMatchObject({ level: 'info', runId: 'run-1', msg: 'calling the API with [REDACTED]' });
    expect(typeof a!.time).toBe('string');
    expect(b).toMatchObject({
      level: 'debug',
      msg: 'request',
      headers: { Authorization: '[REDACTED]', cookie: '[REDACTED]', Accept: 'json' },
      body: { nested: { apiKey: '[REDACTED]', text: 'b64 [REDACTED]' } },
    });
    expect(c).toMatchObject({ level: 'error', msg: 'failed', err: { message: 'answered 401 for [REDACTED]: inner [REDACTED]', code: 'E_HTTP' } });
    expect(String((c!.err as { stack: string }).stack)).toContain('inner [REDACTED]');
    expect(d).toMatchObject({ level: 'warn', stepId: 'voice', token: '[REDACTED]', msg: 'child [REDACTED]' });
  });

  it('masks secrets registered after the logger was made', async () => {
    const { logger, file, redactor, close } = createLogger({ dir: dir() });
    expect(file.endsWith('/mpv2.log')).toBe(true);
    redactor.add('late-secret-999');
    logger.info('x', { v: 'late-secret-999' });
    await close();
    await close();
    expect(readFileSync(file, 'utf8')).not.toContain('late-secret-999');
  });

  it('honours the level and is on disk before close (sync writes)', async () => {
    const { logger, file, close } = createLogger({ dir: dir(), level: 'warn' });
    logger.info('hidden');
    logger.warn('shown');
    expect(lines(file).map((l) => l.msg)).toEqual(['shown']);
    expect(logger.level).toBe('warn');
    await close();
  });
});
