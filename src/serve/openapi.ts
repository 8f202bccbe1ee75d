/**
 * `GET /api/openapi.json`: an OpenAPI 3.1 document built from the routes as registered, with
 * the same JSON Schemas fastify validates requests with (JSON Schema is OpenAPI 3.1's schema
 * language, so they go in unchanged).
 */
import type { JSONSchema } from '../plugin/types.js';
import { PROBLEM } from './schemas.js';

export interface RouteDoc {
  method: string;
  url: string;
  summary: string;
  tags: string[];
  params?: JSONSchema;
  querystring?: JSONSchema;
  body?: JSONSchema;
  /** Status → schema of the answer (application/json unless `contentType`). */
  response: Record<number, JSONSchema>;
  /** The success answer's media type when not JSON (SSE, files). */
  contentType?: string;
  /** Public (no token needed). */
  open?: boolean;
}

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content', 206: 'Partial content', 400: 'Bad request', 401: 'No token, or a wrong one',
  403: 'Refused', 404: 'Not found', 409: 'Conflict', 413: 'Body too large', 500: 'Failure',
};

/** `/api/runs/:id/files/*` → `/api/runs/{id}/files/{path}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z_]+)/g, '{$1}').replace(/\*$/, '{path}');
}

function parameters(r: RouteDoc): object[] {
  const out: object[] = [];
  const params = (r.params?.properties ?? {}) as Record<string, JSONSchema>;
  for (const [name, schema] of Object.entries(params)) out.push({ name, in: 'path', required: true, schema });
  if (r.url.endsWith('*')) out.push({ name: 'path', in: 'path', required: true, schema: { type: 'string' }, description: 'A path relative to the run folder' });
  const qs = (r.querystring?.properties ?? {}) as Record<string, JSONSchema>;
  const required = (r.querystring?.required ?? []) as string[];
  for (const [name, schema] of Object.entries(qs)) out.push({ name, in: 'query', required: required.includes(name), schema });
  return out;
}

export function buildOpenApi(routes: RouteDoc[], version: string, tokenRequired: boolean): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const r of routes) {
    const responses: Record<string, object> = {};
    for (const [code, schema] of Object.entries(r.response)) {
      const media = Number(code) >= 400 ? 'application/problem+json' : r.contentType ?? 'application/json';
      responses[code] = { description: REASONS[Number(code)] ?? 'Answer', content: { [media]: { schema } } };
    }
    for (const code of [400, 500, ...(r.open ? [] : [401])]) responses[String(code)] ??= { description: REASONS[code]!, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    const op: Record<string, unknown> = {
      operationId: `${r.method.toLowerCase()}${openApiPath(r.url).replace(/[{}]/g, '').split(/[/-]/).map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('')}`,
      summary: r.summary, tags: r.tags, parameters: parameters(r), responses,
      ...(r.body && { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } }),
      ...(r.open && { security: [] }),
    };
    (paths[openApiPath(r.url)] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'mpv2 serve', version, description: 'Run, watch and manage mpv2 pipelines (docs/serve.md). Errors are application/problem+json carrying the CLI\'s codes and hints.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Problem: PROBLEM },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: tokenRequired ? 'The token `mpv2 serve` printed, or MPV2_SERVE_TOKEN' : 'Needed only off the loopback or when MPV2_SERVE_TOKEN is set' } },
    },
    security: tokenRequired ? [{ bearer: [] }] : [{}, { bearer: [] }],
  };
}
