/** The pipeline catalogue and validation of pipeline text. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getPipeline, listPipelines, validatePipelineText } from '../pipelines.js';
import { arrayOf, PIPELINE, VALIDATE, VALIDATION } from '../schemas.js';
import type { ServeContext } from '../server.js';

export function registerPipelineRoutes({ route, project }: ServeContext): void {
  route({ method: 'GET', url: '/api/pipelines', summary: 'The pipelines of pipelines/ and the configured folders', tags: ['pipelines'], response: { 200: arrayOf(PIPELINE) } }, async () => listPipelines(project));
  route({
    method: 'POST', url: '/api/pipelines/validate', summary: 'Check pipeline text as `mpv2 validate` does', tags: ['pipelines'], body: VALIDATE, response: { 200: VALIDATION },
  }, async (req) => {
    const b = req.body as { yaml: string; file?: string };
    return validatePipelineText(project, b.yaml, b.file);
  });
  route({
    method: 'GET', url: '/api/pipelines/*', summary: 'One pipeline by id (its path under the pipelines folder), with its YAML text', tags: ['pipelines'],
    response: { 200: { ...PIPELINE, properties: { ...(PIPELINE.properties as object), yaml: { type: 'string' } } } },
  }, async (req) => {
    const p = await getPipeline(project, (req.params as { '*': string })['*']);
    return { ...p, yaml: readFileSync(join(project.root, p.file), 'utf8') };
  });
}
