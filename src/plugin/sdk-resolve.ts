/**
 * Plugins get the running mpv2's SDK. A plugin package imports `mpv2/plugin` (its peer
 * dependency); Node resolves that from the package's own folder, which finds nothing when mpv2
 * is not in the project's node_modules (mpv2 run from its checkout, or installed elsewhere) and
 * another copy when a different mpv2 is there. This resolve hook makes `mpv2` and `mpv2/…`
 * resolve as a self-reference of the running mpv2 package (through its `exports`, so only the
 * public SDK), and every plugin shares the CLI's modules: one Mpv2Error class, one registry.
 */
import { existsSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

let registered = false;

/** The package.json of the running mpv2: the nearest one above this file named `mpv2`. */
function ownPackageJson(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'mpv2') return file;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Registers the hook once, before the first plugin module is imported. */
export function provideSdkToPlugins(): void {
  if (registered) return;
  registered = true;
  const pkg = ownPackageJson();
  if (!pkg) return;
  // a data: URL, so the hook needs no file of its own next to the built or the source modules
  const hook = `const parentURL = ${JSON.stringify(pathToFileURL(pkg).href)};
export async function resolve(specifier, context, next) {
  if (specifier === 'mpv2' || specifier.startsWith('mpv2/')) return next(specifier, { ...context, parentURL });
  return next(specifier, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}
