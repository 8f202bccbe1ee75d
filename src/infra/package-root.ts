/** The folder of mpv2's own package (schemas/, assets/), from both src/ (tests) and dist/. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function find(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'schemas', 'pipeline.schema.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('mpv2 package root not found');
    dir = up;
  }
  return dir;
}

export const PACKAGE_ROOT = find();
