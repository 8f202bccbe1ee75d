/**
 * Issue 13 item 5: a pipeline's file.read / file.write never reach mpv2's own files
 * (.mpv2/ but for run artifacts, node_modules/, config files, package.json, lockfiles,
 * .env*, .git/), however the path is spelled: `../`, absolute, symbolic or hard links.
 */
import { existsSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import fileWrite from '../../../plugins/core/file-write.js';
import fileRead from '../../../plugins/core/file-read.js';
import { resolveStepPath } from '../../../src/infra/paths.js';
import { makeTestContext, type TestContext } from '../../helpers/context.js';
import { runPlugin } from './run-plugin.js';

let ctx: TestContext;
let root: string;
const write = (path: string) => runPlugin(fileWrite, ctx, { path, content: 'pwned' });
const read = (path: string) => runPlugin(fileRead, ctx, { path, format: 'text' });

beforeEach(() => {
  ctx = makeTestContext();
  root = ctx.root;
  mkdirSync(join(root, 'node_modules', 'mpv2-plugin-x'), { recursive: true });
  mkdirSync(join(root, 'pipelines', 'sub'), { recursive: true });
  mkdirSync(join(root, '.git', 'hooks'), { recursive: true });
  for (const f of ['.env', '.env.local', '.mpv2rc.yaml', 'package.json', 'package-lock.json', '.mpv2/state.db', '.mpv2/credentials.json', '.mpv2/logs/r1.log', 'node_modules/mpv2-plugin-x/index.js']) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), `original ${f}`);
  }
});

const RESERVED = [
  '.mpv2/state.db', '.mpv2/state.db-wal', '.mpv2/credentials.json', '.mpv2/logs/r1.log', '.mpv2/locks/x.lock', '.mpv2/cache/blobs/ab/abc', '.mpv2',
  'node_modules/mpv2-plugin-x/index.js', 'node_modules/evil/index.js', 'pipelines/node_modules/x.js',
  '.env', '.env.local', '.envrc', 'pipelines/.env',
  '.mpv2rc', '.mpv2rc.yaml', '.mpv2rc.json', 'mpv2.config.js', 'mpv2.config.mjs', 'pipelines/.mpv2rc.yml', 'pipelines/sub/.mpv2/state.db',
  'package.json', 'pipelines/package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', '.npmrc',
  '.git/hooks/pre-commit', '.git/config',
];

describe('reserved paths', () => {
  it.each(RESERVED)('file.write refuses %s, and leaves it untouched', async (p) => {
    const before = existsSync(join(root, p)) && p !== '.mpv2' ? readFileSync(join(root, p), 'utf8') : undefined;
    await expect(write(p)).rejects.toMatchObject({ code: 'E_PATH_RESERVED', message: expect.stringContaining(p === '.mpv2' ? '.mpv2' : p.split('/').pop()!) });
    if (before === undefined) expect(existsSync(join(root, p))).toBe(p === '.mpv2');
    else expect(readFileSync(join(root, p), 'utf8')).toBe(before);
  });

  it.each(RESERVED)('file.read refuses %s', async (p) => {
    await expect(read(p)).rejects.toMatchObject({ code: 'E_PATH_RESERVED', hint: expect.stringContaining('docs/security.md') });
  });

  it('however the path is spelled: ../, absolute, ./ and a detour through a folder', async () => {
    for (const p of ['pipelines/../.env', join(root, '.env'), './.mpv2/./state.db', 'pipelines/sub/../../node_modules/x.js', `${root}//.mpv2//credentials.json`]) {
      await expect(read(p)).rejects.toMatchObject({ code: 'E_PATH_RESERVED' });
      await expect(write(p)).rejects.toMatchObject({ code: 'E_PATH_RESERVED' });
    }
    expect(readFileSync(join(root, '.env'), 'utf8')).toBe('original .env');
  });

  it('through symbolic links: to a file, to a folder, dangling, and a link whose own name is reserved', async () => {
    symlinkSync(join(root, '.env'), join(root, 'notes.txt'));
    symlinkSync(join(root, '.mpv2'), join(root, 'state'));
    symlinkSync(join(root, 'node_modules'), join(root, 'lib'));
    symlinkSync(join(root, '.env.production'), join(root, 'dangling.txt'));
    await expect(read('notes.txt')).rejects.toMatchObject({ code: 'E_PATH_RESERVED', message: expect.stringContaining(join(root, '.env')) });
    await expect(write('notes.txt')).rejects.toMatchObject({ code: 'E_PATH_RESERVED' });
    await expect(read('state/credentials.json')).rejects.toMatchObject({ code: 'E_PATH_RESERVED' });
    await expect(write('state/state.db')).rejects.toMatchObject({ code: 'E_PATH_RESERVED' });
    await expect(write('lib/mpv2-plugin-x/index.js')).rejects.toMatchObject({ code: 'E_PATH_RESERVED' });
    await expect(write('dangling.txt')).rejects.toMatchObject({ code: 'E_PATH_RESERVED' });
    expect(existsSync(join(root, '.env.production'))).toBe(false);
    expect(readFileSync(join(root, '.mpv2/state.db'), 'utf8')).toBe('original .mpv2/state.db');
    expect(readFileSync(join(root, 'node_modules/mpv2-plugin-x/index.js'), 'utf8')).toBe('original node_modules/mpv2-plugin-x/index.js');
  });

  it('through a hard link to a protected file (a project file that shares .env\'s inode)', async () => {
    linkSync(join(root, '.env'), join(root, 'data.txt'));
    linkSync(join(root, '.mpv2/credentials.json'), join(root, 'creds.txt'));
    await expect(read('data.txt')).rejects.toMatchObject({ code: 'E_PATH_RESERVED', message: expect.stringContaining('hard link') });
    await expect(read('creds.txt')).rejects.toMatchObject({ code: 'E_PATH_RESERVED' });
  });

  it('run artifacts stay usable: any run folder is readable, only the current run\'s folder is writable', async () => {
    // the test context's run folder is .mpv2/runs/test/
    const own = await write(join(ctx.workdir, 'notes.txt'));
    expect(readFileSync(own.path, 'utf8')).toBe('pwned');
    expect((await write('.mpv2/runs/test/summary/out.json')).bytes).toBe(5);
    mkdirSync(join(root, '.mpv2/runs/older/tts'), { recursive: true });
    writeFileSync(join(root, '.mpv2/runs/older/tts/speech.wav'), 'RIFF');
    expect(await read('.mpv2/runs/older/tts/speech.wav')).toEqual({ content: 'RIFF' });
    await expect(write('.mpv2/runs/older/tts/speech.wav')).rejects.toMatchObject({ code: 'E_PATH_RESERVED', message: expect.stringContaining("another run's") });
    await expect(write('.mpv2/runs/test')).rejects.toMatchObject({ code: 'E_PATH_RESERVED' });
    await expect(write('.mpv2/runs/x.txt')).rejects.toMatchObject({ code: 'E_PATH_RESERVED' });
    expect(readFileSync(join(root, '.mpv2/runs/older/tts/speech.wav'), 'utf8')).toBe('RIFF');
  });

  it('ordinary project files, and names that only look alike, are fine', async () => {
    for (const p of ['out/report.md', 'env.txt', 'notes-env/x.txt', 'packages.json', 'data/package.json.bak', 'mpv2rc.txt']) {
      expect((await write(p)).bytes).toBe(5);
      expect(await read(p)).toEqual({ content: 'pwned' });
    }
  });

  it('paths.allow: reserved names count in an allowed folder too, and an allowed parent of the project keeps run artifacts readable', () => {
    const parent = join(root, '..');
    const shared = join(root, 'pipelines');
    expect(() => resolveStepPath({ root, allow: [parent] }, root, '.mpv2/runs/x/a.wav')).not.toThrow();
    expect(() => resolveStepPath({ root, allow: [parent] }, root, '.mpv2/state.db')).toThrow(expect.objectContaining({ code: 'E_PATH_RESERVED' }));
    expect(() => resolveStepPath({ root: join(root, 'pipelines'), allow: [root] }, shared, '../.env')).toThrow(expect.objectContaining({ code: 'E_PATH_RESERVED' }));
  });

  it('the error names the path, the access and why; reading outside the project is still E_PATH_OUTSIDE_ROOT', () => {
    expect(() => resolveStepPath({ root }, root, 'node_modules/a.js', { access: 'write', field: 'path' })).toThrow(/`path` "node_modules\/a\.js" cannot be written: .*node_modules\/a\.js is reserved \(packages there run as code/);
    expect(() => resolveStepPath({ root }, root, '/etc/passwd')).toThrow(expect.objectContaining({ code: 'E_PATH_OUTSIDE_ROOT' }));
  });
});
