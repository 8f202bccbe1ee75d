import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';
import { namespaceStore } from './report.js';

export default class OutreachSuppress extends BaseCommand {
  static override summary = 'Never email an address (or a whole @domain) again, from any campaign';
  static override description = `Adds addresses to the project's suppression list, which outreach.send always honours (on top of the file in config \`outreach.suppressionFile\`).
An argument with no @, or starting with @, suppresses the whole domain. --remove takes entries off the list; --list prints it.`;
  static override examples = [
    '<%= config.bin %> outreach suppress anna@example.com --reason "asked by phone"',
    '<%= config.bin %> outreach suppress @competitor.com',
    '<%= config.bin %> outreach suppress --list',
    '<%= config.bin %> outreach suppress anna@example.com --remove',
  ];
  static override strict = false;
  static override args = { address: Args.string({ description: 'Email address or @domain (several may follow)', required: false }) };
  static override flags = {
    reason: Flags.string({ description: 'Why (shown in skips and the report)', default: 'suppressed by hand' }),
    remove: Flags.boolean({ description: 'Take the entries off the list instead', default: false }),
    list: Flags.boolean({ description: 'Print the suppression list', default: false }),
    json: Flags.boolean({ description: 'With --list: print JSON', default: false }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(OutreachSuppress);
    const entries = (argv as string[]).filter((a) => a.trim() !== '');
    const { mpv2Error } = await import('../../../errors.js');
    const records = await import('../../../../plugins/outreach/records.js');
    const project = await this.openLazyProject(flags);
    const store = namespaceStore(project.state().kv, 'outreach');
    if (flags.list) {
      const list = await records.listSuppressed(store);
      if (flags.json) { this.log(JSON.stringify(list, null, 2)); return; }
      if (list.length === 0) { this.log('The suppression list is empty.'); return; }
      for (const s of list) this.log(`${s.entry}\t${s.at.slice(0, 10)}\t${s.reason}`);
      return;
    }
    if (entries.length === 0) throw mpv2Error('E_USAGE', 'name at least one address or @domain', { hint: '`mpv2 outreach suppress anna@example.com`, or --list' });
    for (const raw of entries) {
      const entry = records.suppressionEntry(raw);
      if (!/^@?[^@\s]+(@[^@\s]+\.[^@\s]+)?$/.test(entry) || (!entry.startsWith('@') && !entry.includes('@'))) {
        throw mpv2Error('E_USAGE', `"${raw}" is neither an email address nor a @domain`);
      }
      if (flags.remove) {
        const had = await records.unsuppress(store, raw);
        this.log(had ? `removed ${entry}` : `${entry} was not on the list`);
      } else {
        await records.suppress(store, raw, flags.reason);
        this.log(`suppressed ${entry}`);
      }
    }
  }
}
