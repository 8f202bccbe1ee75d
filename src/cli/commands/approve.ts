import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { EXIT } from '../exit-codes.js';

export default class Approve extends BaseCommand {
  static override summary = 'Approve an effect step that waits for approval, and continue its run';
  static override description = `An effect step with \`approval: required\` (or a config \`approvals\` default) stops before it uploads, posts or sends, and its run ends "waiting for approval". \`mpv2 approvals\` lists what each would do.
Approving records the decision once (a second decision is E_APPROVAL_DECIDED) and continues the run here with the usual progress: the step acts, exactly once, and the steps after it run. When the approval was made by a worker (\`queue.url\` set), the resume is queued for the workers instead. --no-resume only records the decision; \`mpv2 resume <runId>\` continues later.`;
  static override examples = [
    '<%= config.bin %> approve ap-3f9c2a1b7d0e',
    '<%= config.bin %> approve ap-3f9c2a1b7d0e --note "checked the thumbnail"',
    '<%= config.bin %> approve ap-3f9c2a1b7d0e --no-resume',
  ];
  static override args = { id: Args.string({ description: 'Approval id (see `mpv2 approvals`)', required: true }) };
  static override flags = {
    note: Flags.string({ char: 'n', description: 'A note kept with the decision' }),
    resume: Flags.boolean({ description: 'Continue the run after recording the decision (--no-resume: only record it)', default: true, allowNo: true }),
    json: Flags.boolean({ description: 'Print the resumed run\'s events as JSON lines on stdout', default: false }),
    concurrency: Flags.integer({ char: 'c', description: 'Steps run at once in the resumed run', min: 1 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Approve);
    const { openForPipeline } = await import('../run-output.js');
    const project = (this.projectHandle = await openForPipeline(this, flags));
    const { decideAndContinue } = await import('../approval-decision.js');
    const code = await decideAndContinue({ project, id: args.id, decision: 'approve', note: flags.note, resume: flags.resume, json: flags.json, concurrency: flags.concurrency, verbose: flags.verbose });
    if (code !== EXIT.ok) this.exit(code);
  }
}
