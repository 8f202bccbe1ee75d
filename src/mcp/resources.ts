/**
 * Run artifacts as MCP resources: `mpv2://runs/<runId>/<path>`, the files under the run's folder
 * (`.mpv2/runs/<runId>/`), confined exactly as `GET /api/runs/{id}/files/{path}` is. Text files
 * come back as text, others as base64 blobs up to MAX_BLOB_BYTES (a video is better fetched over
 * HTTP, and the error says so).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { mpv2Error } from '../errors.js';
import { isTextual, mimeOf, runFile } from '../serve/files.js';
import { RUN_ID } from '../serve/runs.js';
import type { McpDeps } from './tools.js';

export const RESOURCE_TEMPLATE = 'mpv2://runs/{runId}/{+path}';
/** Larger files are not sent inline. */
export const MAX_BLOB_BYTES = 16 * 1024 * 1024;
/** Resources listed: the files of the newest runs, up to this many. */
const MAX_LISTED = 200;


export const resourceUri = (runId: string, rel: string): string => `mpv2://runs/${runId}/${rel.split(sep).map(encodeURIComponent).join('/')}`;

function filesUnder(dir: string, limit: number): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try { entries = readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= limit) return;
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) out.push(relative(dir, abs));
    }
  };
  walk(dir);
  return out;
}

export async function listResources(deps: McpDeps): Promise<Array<{ uri: string; name: string; mimeType: string }>> {
  const runsDir = deps.project.state().runsDir;
  const out: Array<{ uri: string; name: string; mimeType: string }> = [];
  for (const run of await deps.runs.list({ limit: 20 })) {
    for (const rel of filesUnder(join(runsDir, run.runId), MAX_LISTED - out.length)) {
      out.push({ uri: resourceUri(run.runId, rel), name: `${run.runId}/${rel.split(sep).join('/')}`, mimeType: mimeOf(rel) });
    }
    if (out.length >= MAX_LISTED) break;
  }
  return out;
}

export function readResource(deps: McpDeps, uri: string): { uri: string; mimeType: string; text?: string; blob?: string } {
  const m = /^mpv2:\/\/runs\/([^/]+)\/(.+)$/.exec(uri);
  if (!m || !RUN_ID.test(m[1]!)) throw mpv2Error('E_NOT_FOUND', `no resource ${uri}`, { hint: `run artifacts are ${RESOURCE_TEMPLATE}` });
  const runId = m[1]!;
  let rel: string;
  try { rel = m[2]!.split('/').map(decodeURIComponent).join('/'); } catch { throw mpv2Error('E_NOT_FOUND', `no resource ${uri}`); }
  const { dir, file, size } = runFile(deps.project.state().runsDir, runId, rel);
  const mimeType = mimeOf(file);
  if (isTextual(file)) {
    return { uri, mimeType, text: deps.project.redactor.redact(readFileSync(join(dir, file), 'utf8')) };
  }
  if (size > MAX_BLOB_BYTES) {
    throw mpv2Error('E_USAGE', `${rel} is ${Math.round(size / 1024 / 1024)} MB, more than the ${MAX_BLOB_BYTES / 1024 / 1024} MB sent inline`, { hint: `fetch it over HTTP: GET /api/runs/${runId}/files/${rel} (mpv2 serve)` });
  }
  return { uri, mimeType, blob: readFileSync(join(dir, file)).toString('base64') };
}
