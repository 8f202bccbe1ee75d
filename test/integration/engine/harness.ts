/**
 * Runs real pipelines through the engine (openProject → prepareRun → executePrepared) in a
 * temporary project, collecting the events in an array.
 */
import { rmSync } from 'node:fs';
import type { RunEvent } from '../../../src/engine/events.js';
import { openProject, type Project } from '../../../src/engine/project.js';
import { executePrepared, prepareRun, type RunOutcome, type RunRequest } from '../../../src/engine/run.js';
import { projectDir } from '../../helpers/project-dir.js';

export interface TestProject {
  root: string;
  project: Project;
  write(rel: string, text: string): string;
  /** `o.sink` sees each event as it happens (the harness collects them as well). */
  run(file: string, o?: Partial<Omit<RunRequest, 'project'>>): Promise<RunResultWithEvents>;
  close(): void;
}

export interface RunResultWithEvents extends RunOutcome {
  events: RunEvent[];
  /** Events of one kind (and step). */
  of<E extends RunEvent['event']>(event: E, stepId?: string): Array<Extract<RunEvent, { event: E }>>;
}

export async function makeProject(files: Record<string, string> = {}, env: Record<string, string> = {}): Promise<TestProject> {
  const { root, write } = projectDir('mpv2-engine-', { name: 'engine-test' }, files);
  const project = await openProject({ cwd: root, env: { ...env } });
  return {
    root, project, write,
    async run(file, o = {}) {
      const events: RunEvent[] = [];
      const req: RunRequest = { project, cwd: root, file, signal: new AbortController().signal, concurrency: 2, ...o, sink: (e) => { events.push(e); return o.sink?.(e); } };
      const prep = await prepareRun(req);
      const outcome = await executePrepared(req, prep);
      const of = <E extends RunEvent['event']>(event: E, stepId?: string) =>
        events.filter((e): e is Extract<RunEvent, { event: E }> => e.event === event && (stepId === undefined || ('stepId' in e && e.stepId === stepId)));
      return { ...outcome, events, of };
    },
    close() {
      project.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Position of the first event matching `pred` (fails loudly when there is none). */
export function indexOf(events: RunEvent[], pred: (e: RunEvent) => boolean): number {
  const i = events.findIndex(pred);
  if (i < 0) throw new Error(`no such event in ${events.map((e) => e.event).join(', ')}`);
  return i;
}

export const is = (event: RunEvent['event'], stepId?: string, index?: number) => (e: RunEvent) =>
  e.event === event && (stepId === undefined || ('stepId' in e && e.stepId === stepId)) && (index === undefined || ('index' in e && e.index === index));
