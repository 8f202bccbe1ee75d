import { Args } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class PluginsInstall extends BaseCommand {
  static override summary = 'Install a plugin package into the project';
  static override description = `Runs \`npm install --save <package>\` in the project root (npm's own output is shown), then loads the package and lists the plugins it provides.
Accepts an npm package name (optionally @version or @range) or a local path (a package folder or a .tgz). Packages named mpv2-plugin-* or @scope/mpv2-plugin-* are found automatically; others must be listed under \`plugins:\` in the config.`;
  static override examples = ['<%= config.bin %> plugins install mpv2-plugin-example', '<%= config.bin %> plugins install @acme/mpv2-plugin-slack@^2', '<%= config.bin %> plugins install ./my-plugin'];
  static override args = { package: Args.string({ description: 'npm package name or local path', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PluginsInstall);
    const { findProjectRoot } = await import('../../../config/project.js');
    const { loadInstalled, nameFromPackageJson, npmInstall, parseInstallSpec } = await import('../../../engine/admin/plugin-install.js');
    const { mpv2Error } = await import('../../../errors.js');
    const root = findProjectRoot(process.cwd(), flags.project);
    const spec = parseInstallSpec(args.package, process.cwd());
    this.log(`Installing ${spec.kind === 'package' ? spec.spec : spec.dir} in ${root} …`);
    const code = await npmInstall(root, spec);
    if (code !== 0) throw mpv2Error('E_PLUGIN_LOAD', `npm install ${args.package} failed (exit code ${code})`, { hint: 'see npm\'s messages above' });
    const name = spec.name || nameFromPackageJson(root, spec.spec);
    if (!name) throw mpv2Error('E_PLUGIN_LOAD', `installed ${args.package}, but cannot tell its package name`, { hint: 'list it under `plugins:` in the config and check `mpv2 plugins list`' });
    const r = await loadInstalled(root, name);
    this.log(`✔ ${name} provides ${r.plugins.length} plugin(s):`);
    for (const p of r.plugins) this.log(`  ${p.id} ${p.version}  ${p.description}`);
    if (!r.discovered) this.log(`Its name does not start with mpv2-plugin-, so add it to the config to use it:\n  plugins:\n    - ${name}`);
  }
}
