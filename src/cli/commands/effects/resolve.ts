import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class EffectsResolve extends BaseCommand {
  static override summary = 'Settle an effect by hand: it happened (--done) or act again (--retry)';
  static override description = `Use it for an effect left pending by a crash (E_EFFECT_IN_DOUBT), after checking the platform.
--done records it as done (result { resolvedBy: "user" }), so no run repeats it; an effect already done keeps its result.
--retry removes the record, so the next run or \`mpv2 resume\` acts again.
With \`queue.url\` set, an effect of the workers is settled in Redis, where they recorded it.`;
  static override examples = ["<%= config.bin %> effects resolve 'acme.post:3f2a…' --done", "<%= config.bin %> effects resolve 'acme.upload:9c1e…' --retry"];
  static override args = { key: Args.string({ description: 'Effect key, as shown by `mpv2 effects list`', required: true }) };
  static override flags = {
    done: Flags.boolean({ description: 'It happened: record it as done', exactlyOne: ['done', 'retry'] }),
    retry: Flags.boolean({ description: 'It did not happen: forget it so the next run acts again', exactlyOne: ['done', 'retry'] }),
    json: Flags.boolean({ description: 'Print the result as JSON', default: false }),
  };
  static override enableJsonFlag = true;
  static override jsonOneLine = true;

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(EffectsResolve);
    // state only: plugins load lazily, so the command starts fast
    const project = await this.openLazyProject(flags);
    const [{ resolveEffect }, { openProjectStores }] = await Promise.all([import('../../../engine/admin/effects-admin.js'), import('../../../queue/project-stores.js')]);
    // settled in the store that holds it: the project's own, or the workers' Redis
    const stores = await openProjectStores(project);
    const r = await resolveEffect(stores, args.key, flags.done ? 'done' : 'retry').finally(() => stores.close());
    if (this.jsonEnabled()) return r;
    this.log(r.now === 'done'
      ? `✔ ${r.key} is ${r.was === 'done' ? 'already' : 'now recorded as'} done; no run will repeat it.`
      : `✔ ${r.key} (was ${r.was}) removed; the next run acts again.`);
  }
}
