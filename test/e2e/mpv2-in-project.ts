/**
 * Makes `mpv2` resolve from a temp project, as it does once a user has installed mpv2 there:
 * a plugin package's peer dependency on mpv2 is then met, and its `import … from 'mpv2/plugin'`
 * loads the very modules the CLI under test runs (the built dist/ of this repo), so errors and
 * classes are the CLI's own.
 *
 * A small package that re-exports dist/, not a symlink to the repo: npm, installing a plugin
 * next to a symlinked package, would load and may "fix" the linked repo's own node_modules.
 * npm keeps this package (the plugin's peer dependency reaches it) and needs no network for it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './cli-harness.js';

export function installMpv2(root: string): void {
  const dir = join(root, 'node_modules', 'mpv2');
  mkdirSync(dir, { recursive: true });
  const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  const entries = { '.': 'index', './plugin': 'sdk/plugin', './testing': 'sdk/testing' } as const;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'mpv2', version, type: 'module',
    exports: Object.fromEntries(Object.entries(entries).map(([k, f]) => [k, `./${f.replace('/', '-')}.js`])),
  }, null, 2));
  for (const f of Object.values(entries)) {
    writeFileSync(join(dir, `${f.replace('/', '-')}.js`), `export * from ${JSON.stringify(pathToFileURL(join(REPO, 'dist', 'src', `${f}.js`)).href)};\n`);
  }
}
