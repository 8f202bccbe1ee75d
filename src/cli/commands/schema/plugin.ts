import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';
import type { PluginSchemaReport } from '../../../engine/admin/plugins-report.js';

export default class SchemaPlugin extends BaseCommand {
  static override summary = 'Show what a plugin takes and gives: its inputs, outputs and config';
  static override description = 'A readable list of the plugin\'s inputs (type, required or default, description), then the JSON Schemas of its input (`with`), output and config section. The id may name the package too, as in `uses: <package>/<id>`.';
  static override examples = ['<%= config.bin %> schema plugin acme.hello', '<%= config.bin %> schema plugin acme.hello --json'];
  static override args = { id: Args.string({ description: 'Plugin id, as in `uses:` (`mpv2 plugins list` shows them)', required: true }) };
  static override flags = { json: Flags.boolean({ description: 'Print { id, version, input, output, config, inputs } as JSON', default: false }) };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(SchemaPlugin);
    const project = await this.openProject(flags);
    const { pluginSchema } = await import('../../../engine/admin/plugins-report.js');
    const r = await pluginSchema(project.registry, args.id);
    if (this.jsonEnabled()) return r;
    await this.print(r);
  }

  private async print(r: PluginSchemaReport): Promise<void> {
    const { oneLine } = await import('../../../engine/admin/format.js');
    this.log(`${r.id} ${r.version} (${r.source === 'builtin' ? 'built-in' : r.from})${r.effect === 'yes' ? ', effect' : r.effect === 'depends' ? ', effect depending on inputs' : ''}`);
    this.log(r.description);
    this.log('\nInputs (`with`):');
    if (r.inputs.length === 0) this.log('  any mapping (see the input schema below)');
    for (const i of r.inputs) {
      const tail = i.required ? 'required' : i.default !== undefined ? `default ${oneLine(i.default, 40)}` : 'optional';
      this.log(`  ${i.name}: ${i.type}${i.format ? ` (${i.format})` : ''}, ${tail}`);
      if (i.description) this.log(`      ${i.description}`);
    }
    this.log(`\nInput schema:\n${JSON.stringify(r.input, null, 2)}`);
    this.log(`\nOutput schema:\n${JSON.stringify(r.output, null, 2)}`);
    this.log(`\nConfig schema (section \`${r.id.split('.')[0]}\`):\n${JSON.stringify(r.config, null, 2)}`);
  }
}
