import { Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';

export default class Init extends BaseCommand {
  static override summary = 'Start a project in the current folder';
  static override description = 'Writes .mpv2rc.yaml (a short, commented config), pipelines/hello.yaml (a first pipeline that runs offline with built-in plugins) and .env.example (the API key variables mpv2 knows, empty), and adds .mpv2/ and .env to .gitignore. Existing files are kept unless --force; the ones skipped are named.';
  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init --force', '<%= config.bin %> init --project my-shorts'];
  static override flags = { force: Flags.boolean({ description: 'Overwrite existing files', default: false }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(Init);
    const { initProject, namespaceVariables } = await import('../../engine/admin/init.js');
    const { resolve } = await import('node:path');
    const dir = resolve(process.cwd(), flags.project ?? '.');
    const r = initProject(dir, { force: flags.force, variables: await namespaceVariables(dir) });
    for (const f of r.created) this.log(`created      ${f}`);
    for (const f of r.overwritten) this.log(`overwritten  ${f}`);
    for (const s of r.skipped) this.log(`skipped      ${s.file}: ${s.reason}`);
    if (r.gitignore !== 'unchanged') this.log(`${r.gitignore.padEnd(12)} .gitignore (.mpv2/, .env)`);
    this.log(`\nNext:\n  mpv2 run pipelines/hello.yaml --input who=Ada\n  mpv2 doctor`);
  }
}
