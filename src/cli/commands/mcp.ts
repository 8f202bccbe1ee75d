import { BaseCommand } from '../base.js';

export default class Mcp extends BaseCommand {
  static override summary = 'Serve mpv2 to AI agents over MCP (stdio)';
  static override description = `A Model Context Protocol server on stdin/stdout, for an agent or tool that starts mpv2 itself. Tools: list_pipelines, describe_pipeline, validate_pipeline, run_pipeline (optionally waiting for the outputs), get_run, list_approvals, decide_approval, and run_<pipeline> for each pipeline with its inputs as the tool's schema. Run artifacts are resources (mpv2://runs/{runId}/{path}).
Runs are set up as \`mpv2 serve\` sets them up: in this process, or, with \`queue.url\`, queued to the workers and followed on their event streams.
stdout carries the protocol only; messages go to stderr. The same server answers over HTTP at /mcp under \`mpv2 serve\`. See docs/serve.md.`;
  static override examples = ['<%= config.bin %> mcp', '<%= config.bin %> mcp --project ~/shorts'];

  async run(): Promise<void> {
    const { flags } = await this.parse(Mcp);
    const { openForPipeline } = await import('../run-output.js');
    const project = (this.projectHandle = await openForPipeline(this, flags));
    const { serveStdio } = await import('../../mcp/stdio.js');
    await serveStdio(project);
  }
}
