import { Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { EXIT } from '../exit-codes.js';

export default class Doctor extends BaseCommand {
  static override summary = 'Check that this machine and project are ready';
  static override description = `Checks Node.js (20 or newer), ffmpeg and ffprobe (where from, version, libass, xfade, libx264), chromium and chromedriver, the .mpv2/ state folder, free disk space, the SQLite state database and the config; then every plugin's own check (API keys, providers, TTS engine) with a 10 s timeout each.
Each line is ok (✔), a warning (!) or an error (✖) with a hint. Exit code 1 when any check is an error, else 0.`;
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json'];
  static override flags = { json: Flags.boolean({ description: 'Print { root, level, checks: [{ name, level, message, hint, plugins }] } as JSON', default: false }) };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Doctor);
    const { runDoctor } = await import('../../engine/admin/doctor.js');
    const report = await runDoctor({ cwd: process.cwd(), project: flags.project });
    // an error found is exit 1 whichever way the report is printed
    if (report.level === 'error') process.exitCode = EXIT.failed;
    if (this.jsonEnabled()) return report;
    const mark = { ok: '✔', warn: '!', error: '✖' } as const;
    const width = Math.max(...report.checks.map((c) => c.name.length));
    for (const c of report.checks) {
      const pad = ' '.repeat(width + 4);
      this.log(`${mark[c.level]} ${c.name.padEnd(width)}  ${c.message.split('\n').join(`\n${pad}`)}`);
      if (c.hint && c.level !== 'ok') this.log(`${pad}Hint: ${c.hint}`);
    }
    const n = (l: string) => report.checks.filter((c) => c.level === l).length;
    this.log(`\n${n('ok')} ok, ${n('warn')} warning(s), ${n('error')} error(s)`);
    return undefined;
  }
}
