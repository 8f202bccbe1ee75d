/**
 * JSON Schemas of the `--json` run events (docs/json-events.md), one per event name: the
 * compiler checks every name of `RunEventBody` has one. The HTTP API's OpenAPI document and
 * its tests use them; the events' TypeScript shape stays in ./events.ts.
 */
import type { JSONSchema } from '../plugin/types.js';
import type { RunEventName } from './events.js';

/** `{ code, pluginCode?, message, hint? }`: an error as events, the journal and `--json` carry it. */
export const ERROR_SCHEMA: JSONSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'A stable error code (docs/errors.md), e.g. E_HTTP' },
    pluginCode: { type: 'string', description: "A plugin's own code, `<namespace>/<NAME>` (code is then E_PLUGIN_FAILED)" },
    message: { type: 'string' },
    hint: { type: 'string' },
  },
};

const common = {
  event: { type: 'string' },
  runId: { type: 'string', description: 'The run id, the same on every event of a run' },
  time: { type: 'string', format: 'date-time' },
};
const step = { ...common, stepId: { type: 'string' }, index: { type: 'integer', minimum: 0, description: 'The foreach item (absent for the step as a whole)' } };

const ev = (name: RunEventName, props: Record<string, JSONSchema>, required: string[], base: Record<string, JSONSchema> = common): JSONSchema => ({
  type: 'object',
  title: name,
  required: ['event', 'runId', 'time', ...(base === step ? ['stepId'] : []), ...required],
  properties: { ...base, event: { const: name }, ...props },
});

export const RUN_EVENT_SCHEMAS: Record<RunEventName, JSONSchema> = {
  'run.started': ev('run.started', { pipeline: { type: 'string' }, name: { type: 'string' }, inputs: { type: 'object' }, resumed: { type: 'boolean' } }, ['pipeline', 'name', 'inputs']),
  'step.started': ev('step.started', { plugin: { type: 'string' }, items: { type: 'integer', minimum: 0 } }, ['plugin'], step),
  'step.progress': ev('step.progress', { fraction: { type: 'number', minimum: 0, maximum: 1 }, message: { type: 'string' } }, [], step),
  'step.waiting': ev('step.waiting', { limit: { type: 'string' }, waitMs: { type: 'number', minimum: 0 } }, ['limit', 'waitMs'], step),
  'step.retrying': ev('step.retrying', { attempt: { type: 'integer', minimum: 1 }, delayMs: { type: 'number', minimum: 0 }, reason: { type: 'string' } }, ['attempt', 'delayMs', 'reason'], step),
  'step.log': ev('step.log', { level: { enum: ['debug', 'info', 'warn', 'error'] }, message: { type: 'string' } }, ['level', 'message'], step),
  'step.finished': ev('step.finished', { cached: { type: 'boolean' }, durationMs: { type: 'number', minimum: 0 }, outputs: {}, reused: { type: 'boolean' } }, ['cached', 'durationMs'], step),
  'step.skipped': ev('step.skipped', { reason: { type: 'string' } }, ['reason'], step),
  'step.waiting-approval': ev('step.waiting-approval', {
    approvalId: { type: 'string' }, plugin: { type: 'string' },
    preview: { type: 'object', required: ['key', 'files'], properties: { key: { type: 'string' }, wouldDo: {}, files: { type: 'array', items: { type: 'string' } }, postAt: { type: 'string', format: 'date-time' } } },
  }, ['approvalId', 'plugin', 'preview'], step),
  'step.waiting-slot': ev('step.waiting-slot', {
    at: { type: 'string', format: 'date-time', description: 'The posting time the step waits for; the run continues then' },
    reason: { type: 'string', description: "Whose time: `<account>'s slot`, or the step's publishAt" },
  }, ['at', 'reason'], step),
  'step.failed': ev('step.failed', { error: ERROR_SCHEMA }, ['error'], step),
  'run.finished': ev('run.finished', {
    status: { enum: ['succeeded', 'failed', 'interrupted', 'waiting-approval', 'waiting-slot'] }, outputs: { type: 'object' }, durationMs: { type: 'number', minimum: 0 }, error: ERROR_SCHEMA,
    resumeAt: { type: 'string', format: 'date-time', description: '`waiting-slot`: when a queued job continues the run' },
  }, ['status', 'durationMs']),
};

/** Any run event. */
export const RUN_EVENT_SCHEMA: JSONSchema = { oneOf: Object.values(RUN_EVENT_SCHEMAS), description: 'One `--json` event (docs/json-events.md)' };
