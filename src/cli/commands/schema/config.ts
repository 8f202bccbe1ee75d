import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class SchemaConfig extends BaseCommand {
  static override summary = 'Print the JSON Schema of the config file, with the loaded plugins\' sections';
  static override description = 'The base keys (cache, limits, ffmpeg, browser, …) plus one section per plugin namespace of the plugins this project loads (built-in, mpv2-plugin-* packages, and `plugins:` entries). Point `$schema` in .mpv2rc.yaml at the written file for completion in editors.';
  static override examples = ['<%= config.bin %> schema config', '<%= config.bin %> schema config --out .mpv2/config.schema.json'];
  static override flags = { out: Flags.string({ char: 'o', description: 'Write the schema to this file instead of printing it' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(SchemaConfig);
    const { configSchema } = await import('../../../engine/admin/schemas.js');
    const { resolve } = await import('node:path');
    const r = await configSchema({ cwd: process.cwd(), project: flags.project, out: flags.out ? resolve(flags.out) : undefined });
    if (r.warning) this.warn(r.warning);
    if (flags.out) this.log(`Wrote ${flags.out}`);
    else process.stdout.write(r.text);
  }
}
