/**
 * A new temporary project folder for tests: a package.json (which makes the folder the project
 * root, so nothing above it is searched) and the given files.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface ProjectDir {
  root: string;
  /** Writes `text` at `rel` (folders made as needed); returns the file's path. */
  write(rel: string, text: string): string;
}

/** `files`: relative path → text, written after the package.json (one of them may replace it). */
export function projectDir(prefix: string, packageJson: Record<string, unknown>, files: Record<string, string> = {}): ProjectDir {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const write = (rel: string, text: string) => {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  write('package.json', `${JSON.stringify({ private: true, ...packageJson })}\n`);
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return { root, write };
}
