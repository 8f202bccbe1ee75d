import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class PluginsInstall extends BaseCommand {
  static override summary = 'Install a plugin package into the project';
  static override description = `Runs \`npm install --save --ignore-scripts <package>\` in the project root (npm's own output is shown), then loads the package and lists the plugins it provides.
Installing runs none of the package's code: the lifecycle scripts (preinstall, install, postinstall, prepare) of the package and its dependencies are skipped, and the ones skipped are named. --allow-scripts runs them, with your permissions, after a warning.
Accepts an npm package name (optionally @version or @range) or a local path (a package folder or a .tgz). Packages named mpv2-plugin-* or @scope/mpv2-plugin-* are found automatically; others must be listed under \`plugins:\` in the config.`;
  static override examples = ['<%= config.bin %> plugins install mpv2-plugin-example', '<%= config.bin %> plugins install @acme/mpv2-plugin-slack@^2', '<%= config.bin %> plugins install ./my-plugin', '<%= config.bin %> plugins install ./needs-native-build --allow-scripts'];
  static override args = { package: Args.string({ description: 'npm package name or local path', required: true }) };
  static override flags = {
    'allow-scripts': Flags.boolean({ description: "Run the lifecycle scripts of the package and its dependencies (they run as you, before mpv2 loads anything)", default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PluginsInstall);
    const { findProjectRoot } = await import('../../../config/project.js');
    const { lifecycleScripts, loadInstalled, nameFromPackageJson, npmInstall, packagesWithInstallScripts, parseInstallSpec } = await import('../../../engine/admin/plugin-install.js');
    const { mpv2Error } = await import('../../../errors.js');
    const { join } = await import('node:path');
    const root = findProjectRoot(process.cwd(), flags.project);
    const spec = parseInstallSpec(args.package, process.cwd());
    const allowScripts = flags['allow-scripts'];
    if (allowScripts) this.warn(`--allow-scripts: the install scripts of ${args.package} and of every dependency it brings run now, as you, with access to this project (.env, credentials) and your files. Do this only for a package you trust.`);
    const before = packagesWithInstallScripts(root);
    this.log(`Installing ${spec.kind === 'package' ? spec.spec : spec.dir} in ${root}${allowScripts ? '' : ' (lifecycle scripts off)'} …`);
    const code = await npmInstall(root, spec, { allowScripts });
    if (code !== 0) throw mpv2Error('E_PLUGIN_LOAD', `npm install ${args.package} failed (exit code ${code})`, { hint: 'see npm\'s messages above' });
    const name = spec.name || nameFromPackageJson(root, spec.spec);
    if (!name) throw mpv2Error('E_PLUGIN_LOAD', `installed ${args.package}, but cannot tell its package name`, { hint: 'list it under `plugins:` in the config and check `mpv2 plugins list`' });
    if (!allowScripts) {
      const own = lifecycleScripts(join(root, 'node_modules', name));
      const deps = [...packagesWithInstallScripts(root)].filter((p) => !before.has(p) && p !== name);
      if (own.length || deps.length) {
        this.log(`Scripts not run: ${[...(own.length ? [`${name} (${own.join(', ')})`] : []), ...deps].join(', ')}.`);
        this.log(`If the plugin needs them (a native build, a download), read them first, then: mpv2 plugins install ${args.package} --allow-scripts`);
      }
    }
    const r = await loadInstalled(root, name);
    const { accessLine } = await import('../../../engine/admin/plugins-report.js');
    this.log(`✔ ${name} provides ${r.plugins.length} plugin(s):`);
    for (const p of r.plugins) this.log(`  ${p.id} ${p.version}  ${p.description}\n    may read: ${accessLine(p.access)}`);
    if (!r.discovered) this.log(`Its name does not start with mpv2-plugin-, so add it to the config to use it:\n  plugins:\n    - ${name}`);
  }
}
