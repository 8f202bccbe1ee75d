/**
 * The JSON Schemas of the API's requests and answers. Routes validate requests with them and
 * `GET /api/openapi.json` is built from the same route schemas; run events and errors are the
 * engine's (src/engine/event-schema.ts), pipeline inputs each pipeline's own.
 */
import { approvalRecordSchema } from '../engine/approvals.js';
import { ERROR_SCHEMA, RUN_EVENT_SCHEMA } from '../engine/event-schema.js';
import type { JSONSchema } from '../plugin/types.js';

const str = (description?: string): JSONSchema => ({ type: 'string', ...(description && { description }) });
const time = { type: 'string', format: 'date-time' };
const obj = (properties: Record<string, JSONSchema>, required: string[] = [], description?: string): JSONSchema => ({ type: 'object', properties, required, ...(description && { description }) });
export const arrayOf = (items: JSONSchema): JSONSchema => ({ type: 'array', items });

export const PIPELINE_PROBLEM = obj({
  code: str('A stable error code (docs/errors.md)'), message: str(), file: str('The pipeline file, relative to the project root'),
  line: { type: 'integer', minimum: 1 }, column: { type: 'integer', minimum: 1 }, hint: str(),
}, ['code', 'message'], 'One problem of a pipeline, as `mpv2 validate` prints it');

export const PROBLEM = obj({
  type: str('urn:mpv2:error:<code>'), title: str('What the code means'), status: { type: 'integer' }, detail: str('The error message (secrets redacted)'),
  code: str('The CLI\'s error code'), pluginCode: str(), hint: str('What to do'), problems: arrayOf(PIPELINE_PROBLEM),
}, ['type', 'title', 'status', 'detail', 'code'], 'An error (RFC 9457 problem details, application/problem+json)');

const INPUTS_SCHEMA: JSONSchema = { type: 'object', description: 'The pipeline\'s `inputs` as a JSON Schema (type, default, enum, description per input; `required`)' };

export const PIPELINE = obj({
  id: str('The path under its pipelines folder without .yaml'), file: str('The file relative to the project root'),
  name: str(), description: str(), inputs: INPUTS_SCHEMA, valid: { type: 'boolean' }, problems: arrayOf(PIPELINE_PROBLEM),
}, ['id', 'file', 'name', 'inputs', 'valid']);

const RUN_STATUS = { type: 'string', description: 'running, succeeded, failed, interrupted, waiting-approval, waiting-slot (and any status later releases add)' };
const STEP_STATUS = { type: 'string', description: 'running, succeeded, failed, skipped, interrupted, waiting-approval, waiting-slot' };

export const RUN_SUMMARY = obj({
  runId: str(), pipeline: str('The pipeline file relative to the project root'), name: str(), status: RUN_STATUS,
  startedAt: time, finishedAt: time, durationMs: { type: 'number' },
  resumeAt: { ...time, description: '`waiting-slot`: when a worker continues the run (the posting time a step waits for)' },
}, ['runId', 'pipeline', 'name', 'status', 'startedAt']);

const stepProps = {
  status: STEP_STATUS, cached: { type: 'boolean' }, attempts: { type: 'integer' }, startedAt: time, finishedAt: time,
  durationMs: { type: 'number' }, outputs: {}, error: ERROR_SCHEMA, skipReason: str(),
};
export const STEP = obj({
  stepId: str(), plugin: str(), ...stepProps,
  items: arrayOf(obj({ index: { type: 'integer', minimum: 0 }, ...stepProps }, ['index', 'status'])),
}, ['stepId', 'plugin', 'status']);

export const RUN = obj({
  ...(RUN_SUMMARY.properties as Record<string, JSONSchema>), inputs: { type: 'object' }, outputs: { type: 'object' }, error: ERROR_SCHEMA,
  parentRunId: str('The run `run --from` took upstream outputs from'), steps: arrayOf(STEP),
}, ['runId', 'pipeline', 'name', 'status', 'startedAt', 'inputs', 'steps']);

export const RUN_EVENT = RUN_EVENT_SCHEMA;

export const START_RUN = obj({
  pipeline: { type: 'string', minLength: 1, description: 'A pipeline id, or a pipeline file path inside the project' },
  inputs: { type: 'object', description: 'The pipeline inputs, checked against its `inputs`', default: {} },
  dryRun: { type: 'boolean', description: 'Pure steps run; effects only write what they would do', default: false },
}, ['pipeline']);

export const RUN_STARTED = obj({ runId: str(), where: { enum: ['process', 'queue'], description: 'process: runs in the server; queue: handed to `mpv2 worker`s (queue.url)' } }, ['runId', 'where']);

export const VALIDATE = obj({
  yaml: { type: 'string', description: 'The pipeline text' },
  file: { type: 'string', minLength: 1, description: 'Where the text would live (relative paths resolve from it); default pipelines/untitled.yaml' },
}, ['yaml']);
export const VALIDATION = obj({ valid: { type: 'boolean' }, problems: arrayOf(PIPELINE_PROBLEM) }, ['valid', 'problems']);

export const ACCOUNT = obj({
  name: str(), platform: str(), niche: str(), language: str(), health: { enum: ['ok', 'capped', 'disabled'] },
  usesToday: { type: 'integer', description: 'Acts (uploads, posts, emails) today (UTC)' }, maxPerDay: { type: 'integer' }, lastUse: time,
  hasCredentials: { type: 'boolean', description: 'Whether credentials are stored; they are never shown' },
}, ['name', 'platform', 'health', 'usesToday', 'hasCredentials']);

const SCHEDULE_PROPS = {
  name: str(), pipeline: str(), cron: str(), tz: str(), inputs: { type: 'object' }, overlap: { enum: ['skip', 'queue'] }, missed: { enum: ['run-once', 'skip'] },
  paused: { type: 'boolean' }, createdAt: time, checkedUntil: time, next: arrayOf(time),
};
export const SCHEDULE = obj({ ...SCHEDULE_PROPS, lastTick: obj({ tick: str(), status: str() }) }, ['name', 'pipeline', 'cron', 'paused']);
export const NEW_SCHEDULE = obj({
  pipeline: { type: 'string', minLength: 1, description: 'A pipeline id or file' }, cron: { type: 'string', minLength: 1, description: 'Cron pattern, e.g. "0 9 * * *"' },
  tz: str('IANA time zone'), name: { type: 'string', minLength: 1 }, inputs: { type: 'object' }, overlap: { enum: ['skip', 'queue'] }, missed: { enum: ['run-once', 'skip'] },
}, ['pipeline', 'cron']);

export const EFFECT = obj({
  key: str(), status: { enum: ['pending', 'done', 'failed'] }, runId: str(), stepId: str(), plugin: str(), result: {}, error: ERROR_SCHEMA, createdAt: time, updatedAt: time,
}, ['key', 'status', 'runId', 'stepId', 'plugin']);
export const RESOLVE_EFFECT = obj({ key: { type: 'string', minLength: 1 }, resolution: { enum: ['done', 'retry'], description: 'done: it happened; retry: it did not, act again' } }, ['key', 'resolution']);
export const EFFECT_RESOLVED = obj({ key: str(), was: str(), now: { enum: ['done', 'removed'] } }, ['key', 'was', 'now']);

export const CACHE_STATS = obj({
  entries: { type: 'integer' }, entryBytes: { type: 'integer' }, blobs: { type: 'integer' }, blobBytes: { type: 'integer' }, totalBytes: { type: 'integer' }, blobsDir: str(),
  shared: obj({ entries: { type: 'integer' }, bytes: { type: 'integer' } }, ['entries', 'bytes']),
}, ['entries', 'entryBytes', 'blobs', 'blobBytes', 'totalBytes']);

export const HEALTH = obj({ ok: { const: true }, version: str() }, ['ok', 'version']);

export const RUN_ID_PARAMS = obj({ id: { type: 'string', pattern: '^[0-9]{8}-[0-9]{6}Z-[0-9a-f]{6}$', description: 'A run id' } }, ['id']);

/** The engine's approval record schema, and where the approval is kept. */
export const APPROVAL: JSONSchema = {
  ...approvalRecordSchema,
  required: [...approvalRecordSchema.required],
  properties: { ...approvalRecordSchema.properties, source: { enum: ['local', 'redis'], description: 'Where the approval is kept: this project\'s state, or the shared Redis stores' } },
};
export const DECIDE = obj({ decision: { enum: ['approve', 'reject'] }, note: { type: 'string', maxLength: 2000, description: 'Why (a rejected step is skipped with it as the reason)' } }, ['decision']);
export const DECIDED = obj({
  approval: APPROVAL, continued: RUN_STARTED,
  continueError: { ...ERROR_SCHEMA, description: 'Why the run did not go on; the decision stands (POST /api/runs/{id}/resume tries again)' },
}, ['approval']);
