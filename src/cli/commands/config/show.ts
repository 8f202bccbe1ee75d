import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class ConfigShow extends BaseCommand {
  static override summary = 'Print the merged config and where each value came from';
  static override description = 'Every setting with its value and origin: `default`, `file .mpv2rc.yaml`, `env MPV2_X`, `env .env MPV2_X` or `flag`. Secrets (API keys, passwords, the Redis URL) are shown as [REDACTED]; the well-known secret variables that are set are listed by name.';
  static override examples = ['<%= config.bin %> config show', '<%= config.bin %> config show --json'];
  static override flags = { json: Flags.boolean({ description: 'Print { root, file, values: [{ path, value, origin }], secrets } as JSON', default: false }) };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { flags } = await this.parse(ConfigShow);
    const project = await this.openProject(flags);
    const { describeConfig, secretNames } = await import('../../../config/show.js');
    const { relative } = await import('node:path');
    const rows = describeConfig(project.config);
    const secrets = secretNames(project.config);
    const file = project.config.file ? relative(process.cwd(), project.config.file) || project.config.file : undefined;
    const out = (s: string) => this.log(project.redactor.redact(s));
    if (this.jsonEnabled()) return { root: project.root, file: project.config.file ?? null, values: rows, secrets };
    const { oneLine, table } = await import('../../../engine/admin/format.js');
    out(`Project: ${project.root}\nConfig file: ${file ?? 'none (defaults)'}\n`);
    out(table(['PATH', 'VALUE', 'ORIGIN'], rows.map((r) => [r.path, oneLine(r.value, 60), r.origin])));
    if (secrets.length) out(`\nSecrets set in the environment: ${secrets.join(', ')}`);
  }
}
