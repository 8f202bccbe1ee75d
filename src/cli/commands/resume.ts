import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { EXIT } from '../exit-codes.js';

export default class Resume extends BaseCommand {
  static override summary = 'Continue a run that failed, was interrupted or waits for approval';
  static override description = 'Finished steps and finished foreach items are not run again; effects already done are not repeated, and effects left in doubt by a crash are reconciled. A pipeline file changed since the run started is refused unless --force. A step that waits for approval stops again until it is decided (`mpv2 approve`/`reject`, which resume by themselves). A run that is still going (its process lives) is refused with E_RUN_OWNED naming that process; a run whose process died is taken over. A run the workers ran (`queue.url`) continues on them: its resume is queued. A run a worker paused until its posting time (`waiting-slot`) never posts early: here it waits in this process until then; on the workers its timed resume is queued (again, if it was lost; once either way).';
  static override examples = ['<%= config.bin %> resume 20261127-161455Z-a1b2c3'];
  static override args = { runId: Args.string({ description: 'Run id (see `mpv2 runs list`)', required: true }) };
  static override flags = {
    json: Flags.boolean({ description: 'Print one JSON event a line on stdout', default: false }),
    force: Flags.boolean({ description: 'Resume even though the pipeline file changed', default: false }),
    concurrency: Flags.integer({ char: 'c', description: 'Steps run at once', min: 1 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Resume);
    const { openForPipeline, runWithOutput } = await import('../run-output.js');
    const project = (this.projectHandle = await openForPipeline(this, flags));
    if (project.config.values.queue.url && !(await project.state().journal.getRun(args.runId))) {
      // a run of the workers is journaled in Redis: it continues there, as a resume job
      const { openProjectStores } = await import('../../queue/project-stores.js');
      const stores = await openProjectStores(project);
      const run = await stores.journal.getRun(args.runId).finally(() => stores.close());
      if (run) {
        const { enqueueRunResume } = await import('../../queue/resume-run.js');
        const q = await enqueueRunResume(project, run, { force: flags.force });
        // stderr, as for a decided approval: --json keeps stdout for a run's events
        const when = q.job.runAt ? ` at ${q.job.runAt}, the posting time it waits for` : '';
        const forced = flags.force ? ', going on with the changed pipeline file (--force)' : '';
        this.logToStderr(`Run ${run.id} ran on the workers: ${q.added ? 'queued' : 'already queued'} its resume (job ${q.job.id}) for them${when}${forced}; \`mpv2 runs show ${run.id}\` follows it.`);
        return;
      }
    }
    const code = await runWithOutput({ project, cwd: process.cwd(), resume: args.runId, force: flags.force, json: flags.json, concurrency: flags.concurrency, verbose: flags.verbose });
    if (code !== EXIT.ok) this.exit(code);
  }
}
