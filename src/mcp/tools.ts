/**
 * The MCP tools: the same domain functions as the REST API (src/serve/), so an agent sees the
 * same pipelines, problems, runs and approvals as the studio. Besides the generic tools, every
 * valid pipeline is a tool of its own (`run_<id>`) whose input schema is the pipeline's
 * `inputs`, so an agent is told exactly what a pipeline takes.
 */
import type { Project } from '../engine/project.js';
import { mpv2Error } from '../errors.js';
import { approvals, decide } from '../serve/approvals.js';
import { getPipeline, listPipelines, validatePipelineText, type PipelineEntry } from '../serve/pipelines.js';
import type { RunManager, RunView } from '../serve/runs.js';

export interface McpDeps {
  project: Project;
  runs: RunManager;
}

type JsonSchema = Record<string, unknown>;

export interface ToolDef {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema & { type: 'object' };
  /** Whether the tool changes anything (MCP annotations). */
  readOnly: boolean;
  run(deps: McpDeps, args: Record<string, unknown>): Promise<unknown>;
}

/** The longest a tool call waits for a run to finish; past it, the run goes on and `get_run` follows it. */
export const MAX_WAIT_SECONDS = 600;

const waitSeconds: JsonSchema = {
  type: 'number', minimum: 0, maximum: MAX_WAIT_SECONDS, default: 0,
  description: `Wait up to this many seconds for the run to finish and return its status and outputs (0: return the run id at once). At most ${MAX_WAIT_SECONDS}.`,
};
const dryRun: JsonSchema = { type: 'boolean', default: false, description: 'Act on nothing: effect steps (uploads, posts, emails) write what they would do instead.' };

/** Starts a run and, when asked, waits for its end (or the deadline) through the run's event stream. */
async function startAndWait(deps: McpDeps, pipeline: string, inputs: Record<string, unknown>, o: { dryRun?: boolean; waitSeconds?: number }): Promise<unknown> {
  const started = await deps.runs.start({ pipeline, inputs, dryRun: o.dryRun ?? false });
  const wait = Math.min(Math.max(0, Number(o.waitSeconds ?? 0)), MAX_WAIT_SECONDS);
  if (wait === 0) return { ...started, status: 'running', hint: `get_run { "runId": "${started.runId}" } follows it` };
  const finished = await new Promise<boolean>((resolve) => {
    let stop: (() => void) | undefined;
    let done = false;
    const end = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stop?.();
      resolve(ok);
    };
    const timer = setTimeout(() => end(false), wait * 1000);
    void deps.runs.subscribe(started.runId, undefined, (e) => {
      if (e.event.event === 'run.finished') end(true);
    }).then((s) => (done ? s() : (stop = s)), () => end(false));
  });
  const run = await deps.runs.get(started.runId);
  return finished ? runResult(run) : { ...runResult(run), hint: `still running after ${wait}s; get_run { "runId": "${started.runId}" } follows it` };
}

const runResult = (r: RunView) => ({
  runId: r.runId, pipeline: r.pipeline, status: r.status,
  ...(r.outputs && { outputs: r.outputs }), ...(r.error && { error: r.error }),
  steps: r.steps.map((s) => ({ stepId: s.stepId, status: s.status, ...(s.error && { error: s.error }), ...(s.skipReason && { skipReason: s.skipReason }) })),
});

const requireString = (args: Record<string, unknown>, name: string): string => {
  const v = args[name];
  if (typeof v !== 'string' || v === '') throw mpv2Error('E_USAGE', `\`${name}\` must be a non-empty string`, { hint: 'tools/list describes each tool\'s arguments' });
  return v;
};

const objectArg = (args: Record<string, unknown>, name: string): Record<string, unknown> => {
  const v = args[name] ?? {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw mpv2Error('E_USAGE', `\`${name}\` must be an object`, { hint: 'describe_pipeline gives the inputs a pipeline takes' });
  return v as Record<string, unknown>;
};

/** The tools that are always there. */
export const FIXED_TOOLS: ToolDef[] = [
  {
    name: 'list_pipelines', title: 'List pipelines', readOnly: true,
    description: 'The pipelines of the project (its pipelines/ folder and the configured folders): id, name, description, the inputs each takes as JSON Schema, and whether it loads.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    run: async (d) => (await listPipelines(d.project)).map((p) => ({ id: p.id, name: p.name, ...(p.description && { description: p.description }), valid: p.valid, inputs: p.inputs })),
  },
  {
    name: 'describe_pipeline', title: 'Describe a pipeline', readOnly: true,
    description: 'One pipeline by id: its file, name, description, inputs (JSON Schema), and its problems when it does not load.',
    inputSchema: { type: 'object', properties: { id: { type: 'string', description: 'A pipeline id from list_pipelines (the path under pipelines/ without .yaml).' } }, required: ['id'], additionalProperties: false },
    run: (d, a) => getPipeline(d.project, requireString(a, 'id')),
  },
  {
    name: 'validate_pipeline', title: 'Validate pipeline YAML', readOnly: true,
    description: 'Checks pipeline YAML text as `mpv2 validate` does: every problem with its code, message, line, column and hint.',
    inputSchema: {
      type: 'object', required: ['yaml'], additionalProperties: false,
      properties: {
        yaml: { type: 'string', description: 'The pipeline text.' },
        file: { type: 'string', description: 'Where the text would live in the project (relative paths in it resolve from there). Default: pipelines/untitled.yaml.' },
      },
    },
    run: (d, a) => validatePipelineText(d.project, requireString(a, 'yaml'), typeof a.file === 'string' ? a.file : undefined),
  },
  {
    name: 'run_pipeline', title: 'Run a pipeline', readOnly: false,
    description: 'Starts a run of a pipeline (by id or file path) with its inputs; returns the run id, or with waitSeconds the run\'s status and outputs. Effects (uploads, posts, emails) happen at most once; steps that need approval stop the run until decide_approval.',
    inputSchema: {
      type: 'object', required: ['pipeline'], additionalProperties: false,
      properties: {
        pipeline: { type: 'string', description: 'A pipeline id from list_pipelines, or a .yaml path inside the project.' },
        inputs: { type: 'object', description: 'The pipeline\'s inputs (describe_pipeline gives their schema).' },
        dryRun, waitSeconds,
      },
    },
    run: (d, a) => startAndWait(d, requireString(a, 'pipeline'), objectArg(a, 'inputs'), { dryRun: a.dryRun === true, waitSeconds: a.waitSeconds as number | undefined }),
  },
  {
    name: 'get_run', title: 'Get a run', readOnly: true,
    description: 'A run\'s status, outputs and steps (with their errors), from the journal; works for runs started anywhere (CLI, studio, workers).',
    inputSchema: { type: 'object', properties: { runId: { type: 'string', description: 'The run id run_pipeline returned.' } }, required: ['runId'], additionalProperties: false },
    run: (d, a) => d.runs.get(requireString(a, 'runId')),
  },
  {
    name: 'list_approvals', title: 'List approvals', readOnly: true,
    description: 'Effect steps waiting for a person to approve them (uploads, posts, emails), with a preview of what they would do; `status: decided` for the history.',
    inputSchema: {
      type: 'object', additionalProperties: false,
      properties: {
        status: { type: 'string', enum: ['pending', 'decided', 'all'], default: 'pending' },
        runId: { type: 'string', description: 'Only the approvals of this run.' },
      },
    },
    run: (d, a) => approvals(d.project, { status: (a.status as 'pending' | 'decided' | 'all' | undefined) ?? 'pending', ...(typeof a.runId === 'string' && { runId: a.runId }) }),
  },
  {
    name: 'decide_approval', title: 'Approve or reject', readOnly: false,
    description: 'Approves (the step acts, exactly once, and the run goes on) or rejects (the step is skipped with the note as its reason) a pending approval.',
    inputSchema: {
      type: 'object', required: ['id', 'decision'], additionalProperties: false,
      properties: {
        id: { type: 'string', description: 'The approval id from list_approvals.' },
        decision: { type: 'string', enum: ['approve', 'reject'] },
        note: { type: 'string', description: 'Why (shown in the history; a rejection\'s reason).' },
      },
    },
    run: (d, a) => {
      const decision = requireString(a, 'decision');
      if (decision !== 'approve' && decision !== 'reject') throw mpv2Error('E_USAGE', '`decision` must be "approve" or "reject"');
      return decide(d.project, d.runs, requireString(a, 'id'), decision, typeof a.note === 'string' ? a.note : undefined);
    },
  },
];

/** MCP tool names: letters, digits, `_` and `-`, at most 64 characters. */
export function pipelineToolName(id: string): string {
  return `run_${id.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 64);
}

/** `run_<id>`: one pipeline, its `inputs` as the tool's own schema. */
export function pipelineTool(p: PipelineEntry): ToolDef {
  return {
    name: pipelineToolName(p.id), title: `Run ${p.name}`, readOnly: false,
    description: `Runs the pipeline ${p.id} (${p.file})${p.description ? `: ${p.description}` : ''}. Same as run_pipeline with pipeline "${p.id}".`,
    inputSchema: {
      type: 'object', additionalProperties: false,
      properties: { inputs: p.inputs, dryRun, waitSeconds },
      ...(p.inputs.required.length > 0 && { required: ['inputs'] }),
    },
    run: (d, a) => startAndWait(d, p.id, objectArg(a, 'inputs'), { dryRun: a.dryRun === true, waitSeconds: a.waitSeconds as number | undefined }),
  };
}

/** Every tool now: the fixed ones, then one per pipeline that loads (names already taken are left out). */
export async function currentTools(deps: McpDeps): Promise<ToolDef[]> {
  const tools = [...FIXED_TOOLS];
  const taken = new Set(tools.map((t) => t.name));
  for (const p of await listPipelines(deps.project)) {
    if (!p.valid) continue;
    const t = pipelineTool(p);
    if (taken.has(t.name)) continue;
    taken.add(t.name);
    tools.push(t);
  }
  return tools;
}
