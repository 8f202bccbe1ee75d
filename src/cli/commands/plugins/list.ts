import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class PluginsList extends BaseCommand {
  static override summary = 'List the plugins this project can use';
  static override description = 'Every plugin with its version, where it comes from (builtin, an npm package found in node_modules or listed under `plugins:`, or a local path) and what it does. A plugin module that failed to load is listed with its error, and a plugin a package offers under a built-in namespace (core., file., llm., …) is listed as refused; the others still work. Then what each plugin may read: the config and secrets of its own namespace, the namespaces it declares in uses, secrets it declares, the account platforms its namespace brings, and the services its namespace offers.';
  static override examples = ['<%= config.bin %> plugins list', '<%= config.bin %> plugins list --json'];
  static override flags = { json: Flags.boolean({ description: 'Print { plugins, broken, refused } as JSON (each plugin with `access`: what it may read)', default: false }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(PluginsList);
    const project = await this.openProject(flags);
    const { listPlugins } = await import('../../../engine/admin/plugins-report.js');
    const r = await listPlugins(project.registry);
    if (flags.json) { this.log(JSON.stringify(r, null, 2)); return; }
    const { oneLine, table } = await import('../../../engine/admin/format.js');
    const from = (p: (typeof r.plugins)[number]) => (p.source === 'builtin' ? 'builtin' : `${p.source} ${p.from}${p.packageVersion ? `@${p.packageVersion}` : ''}`);
    this.log(table(['ID', 'VERSION', 'SOURCE', 'DESCRIPTION'], r.plugins.map((p) => [p.id, p.version, from(p), oneLine(p.description, 70)])));
    const { accessLine } = await import('../../../engine/admin/plugins-report.js');
    this.log('\nWhat each plugin may read (mpv2 refuses the rest; see docs/writing-plugins.md):');
    this.log(table(['ID', 'MAY READ'], r.plugins.map((p) => [p.id, accessLine(p.access)])));
    if (r.refused.length) {
      this.log(`\n${r.refused.length} plugin(s) refused (built-in namespaces belong to mpv2):`);
      for (const x of r.refused) this.log(`⚠ ${x.message}`);
    }
    if (r.broken.length) {
      this.log(`\n${r.broken.length} plugin module(s) failed to load:`);
      for (const b of r.broken) this.log(`✖ ${b.from}: ${b.code} ${b.message}${b.hint ? `\n  Hint: ${b.hint}` : ''}`);
    }
  }
}
