import { Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';

export default class Init extends BaseCommand {
  static override summary = 'Start a project in the current folder';
  static override description = 'Writes .mpv2rc.yaml (a short, commented config), pipelines/hello.yaml (a first pipeline that runs offline with built-in plugins) and .env.example (the API key variables mpv2 knows, empty), and adds .mpv2/ and .env to .gitignore. With --template, writes one of the pipelines shipped with mpv2 instead of hello.yaml, with the prompts and files it names, ready to run (`--template list` names them). Existing files are kept unless --force; the ones skipped are named.';
  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init --template youtube-short', '<%= config.bin %> init --template list', '<%= config.bin %> init --force', '<%= config.bin %> init --project my-shorts'];
  static override flags = {
    force: Flags.boolean({ description: 'Overwrite existing files', default: false }),
    template: Flags.string({ description: 'A shipped pipeline to start from (`list` names them)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Init);
    if (flags.template === 'list') {
      const { listTemplates } = await import('../../engine/admin/templates.js');
      for (const t of listTemplates()) this.log(`${t.name.padEnd(24)} ${t.description}`);
      return;
    }
    const { initProject, namespaceVariables } = await import('../../engine/admin/init.js');
    const { resolve } = await import('node:path');
    const dir = resolve(process.cwd(), flags.project ?? '.');
    const r = initProject(dir, { force: flags.force, template: flags.template, variables: await namespaceVariables(dir) });
    for (const f of r.created) this.log(`created      ${f}`);
    for (const f of r.overwritten) this.log(`overwritten  ${f}`);
    for (const s of r.skipped) this.log(`skipped      ${s.file}: ${s.reason}`);
    if (r.gitignore !== 'unchanged') this.log(`${r.gitignore.padEnd(12)} .gitignore (.mpv2/, .env)`);
    this.log(flags.template ? `\nNext:\n  mpv2 validate pipelines/${flags.template}.yaml\n  mpv2 run pipelines/${flags.template}.yaml` : `\nNext:\n  mpv2 run pipelines/hello.yaml --input who=Ada\n  mpv2 doctor`);
  }
}
