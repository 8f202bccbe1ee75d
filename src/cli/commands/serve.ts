import { Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';

export default class Serve extends BaseCommand {
  static override summary = 'Serve the REST API and the web studio';
  static override description = `One process with the same engine, stores and config as the CLI: the REST API under /api (OpenAPI at /api/openapi.json) and the web studio at /. Runs execute in this process, or are queued for \`mpv2 worker\`s when \`queue.url\` is set.
Listens on 127.0.0.1 by default. Any other address requires a token: MPV2_SERVE_TOKEN, or one generated now and printed once as \`token: <value>\`.
Ctrl-C / SIGTERM: stops the runs it started as Ctrl-C stops \`mpv2 run\` (continue them with \`mpv2 resume\`), then exits. See docs/serve.md.`;
  static override examples = ['<%= config.bin %> serve', '<%= config.bin %> serve --port 8080 --open', 'MPV2_SERVE_TOKEN=… <%= config.bin %> serve --host 0.0.0.0'];
  static override flags = {
    port: Flags.integer({ char: 'p', description: 'TCP port (default: config serve.port, 3777; 0 picks a free one)', min: 0, max: 65535 }),
    host: Flags.string({ description: 'Address to listen on (default: config serve.host, 127.0.0.1)' }),
    open: Flags.boolean({ description: 'Open the studio in the default browser', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    const { openForPipeline } = await import('../run-output.js');
    const project = (this.projectHandle = await openForPipeline(this, flags));
    const { serveUntilStopped } = await import('../../serve/serve-command.js');
    await serveUntilStopped({ project, port: flags.port, host: flags.host, open: flags.open, print: (line) => this.log(line), warn: (line) => this.warn(line) });
  }
}
