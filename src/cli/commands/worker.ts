import { Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { forTerminal } from '../output/terminal-text.js';

export default class Worker extends BaseCommand {
  static override summary = 'Run queued runs and due schedules until stopped';
  static override description = `Without \`queue.url\`: serves this project's local queue and schedules (one worker per project).
With \`queue.url\` (REDIS_URL): consumes the shared BullMQ queue; start any number of workers on any number of machines. Journal, effects, key-value state, the step cache and named rate limits are shared through Redis; artifacts go to the project folder, which all workers must share.
SIGTERM / Ctrl-C: takes no new work, lets running runs finish for most of --grace, then aborts their steps (runs are journaled as interrupted and resume on the next worker); the worker is gone when --grace is over, whether Redis answers or not. Exit 0 when nothing had to be aborted, else 143 (SIGTERM) or 130 (SIGINT).`;
  static override examples = [
    '<%= config.bin %> worker',
    '<%= config.bin %> worker --concurrency 4 --health-port 9464',
    'REDIS_URL=redis://127.0.0.1:6379 <%= config.bin %> worker --json',
  ];
  static override flags = {
    concurrency: Flags.integer({ char: 'c', description: 'Runs at once on this worker', default: 1, min: 1 }),
    'step-concurrency': Flags.integer({ description: 'Steps at once inside one run (default: config `concurrency`)', min: 1 }),
    grace: Flags.string({ description: 'How long running runs may finish after SIGTERM / Ctrl-C before their steps are aborted', default: '30s' }),
    'health-port': Flags.integer({ description: 'Serve /healthz and Prometheus /metrics on this port (0 picks a free one)', min: 0, max: 65535 }),
    'health-host': Flags.string({ description: 'Address the health server listens on', default: '0.0.0.0' }),
    json: Flags.boolean({ description: 'Print worker messages and every run event as one JSON object a line', default: false }),
    'lock-duration': Flags.integer({ description: 'Shared queue: ms a job lock lasts before another worker may take the job over', hidden: true }),
    'stalled-interval': Flags.integer({ description: 'Shared queue: ms between checks for jobs of dead workers', hidden: true }),
    'poll-interval': Flags.integer({ description: 'Local queue: ms between looks for due schedules and queued runs', hidden: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Worker);
    const { parseDuration } = await import('../../infra/duration.js');
    const graceMs = parseDuration(flags.grace, '--grace');
    const { openForPipeline } = await import('../run-output.js');
    const project = (this.projectHandle = await openForPipeline(this, flags));
    const { startWorker } = await import('../../queue/service.js');
    const json = flags.json;
    const log = (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}) => {
      const m = project.redactor.redact(message);
      if (json) process.stdout.write(`${forTerminal(JSON.stringify({ event: 'worker.log', level, message: m, time: new Date().toISOString(), ...(project.redactor.redactDeep(fields) as object) }))}\n`);
      else process.stderr.write(`${new Date().toISOString()} ${level.padEnd(5)} ${forTerminal(m)}\n`);
    };
    const worker = await startWorker({
      project, concurrency: flags.concurrency, stepConcurrency: flags['step-concurrency'], healthPort: flags['health-port'], healthHost: flags['health-host'],
      pollMs: flags['poll-interval'], lockDuration: flags['lock-duration'], stalledInterval: flags['stalled-interval'], log,
      ...(json && { onEvent: (e) => process.stdout.write(`${forTerminal(JSON.stringify(e))}\n`) }),
    });
    let stopping: Promise<number> | undefined;
    const onSignal = (sig: NodeJS.Signals) => {
      const code = sig === 'SIGINT' ? 130 : 143;
      if (stopping) process.exit(code); // a second signal: leave now
      log('info', `${sig}: taking no new work; running runs have ${flags.grace} to finish`);
      stopping = worker.stop(graceMs).then((aborted) => {
        log('info', aborted ? 'stopped; interrupted runs resume on the next worker' : 'stopped');
        return aborted ? code : 0;
      });
      // stop() keeps to the grace; this is the promise kept even if something else (a plugin's
      // socket or timer, a hung close) would hold the process past it
      setTimeout(() => { log('warn', 'the grace period is over; leaving without waiting for the rest'); process.exit(code); }, graceMs + 1000).unref();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    await worker.done;
    // the loop ends through stop() (or a queue failure): wait for the stop to finish closing
    const code = stopping ? await stopping : 0;
    this.projectHandle?.close();
    // every queue connection is closed; exit now rather than wait on a stray timer of a plugin
    process.exit(code);
  }
}
