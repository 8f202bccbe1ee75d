import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { EXIT } from '../exit-codes.js';

export default class Reject extends BaseCommand {
  static override summary = 'Reject an effect step that waits for approval: it is skipped, with your note as the reason';
  static override description = `The step never acts: its run continues (here, or queued for the workers when the approval was made by one) and the step is journaled skipped with "rejected: <note>". Steps that read its outputs get null, as after any skipped step.
A decision is made once: rejecting an approval already decided is E_APPROVAL_DECIDED. --no-resume only records the decision.`;
  static override examples = [
    '<%= config.bin %> reject ap-3f9c2a1b7d0e --note "wrong thumbnail"',
    '<%= config.bin %> reject ap-3f9c2a1b7d0e --note "not today" --no-resume',
  ];
  static override args = { id: Args.string({ description: 'Approval id (see `mpv2 approvals`)', required: true }) };
  static override flags = {
    note: Flags.string({ char: 'n', description: 'Why: kept with the decision and shown as the step\'s skip reason' }),
    resume: Flags.boolean({ description: 'Continue the run after recording the decision (--no-resume: only record it)', default: true, allowNo: true }),
    json: Flags.boolean({ description: 'Print the resumed run\'s events as JSON lines on stdout', default: false }),
    concurrency: Flags.integer({ char: 'c', description: 'Steps run at once in the resumed run', min: 1 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Reject);
    const { openForPipeline } = await import('../run-output.js');
    const project = (this.projectHandle = await openForPipeline(this, flags));
    const { decideAndContinue } = await import('../approval-decision.js');
    const code = await decideAndContinue({ project, id: args.id, decision: 'reject', note: flags.note, resume: flags.resume, json: flags.json, concurrency: flags.concurrency, verbose: flags.verbose });
    if (code !== EXIT.ok) this.exit(code);
  }
}
