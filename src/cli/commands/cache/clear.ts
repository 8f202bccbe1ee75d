import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class CacheClear extends BaseCommand {
  static override summary = 'Empty the step and call cache';
  static override description = 'Removes every cache entry and every blob in .mpv2/cache/blobs/. The next runs compute everything again (LLM calls, TTS, renders). Run folders and effect records are not touched. With `queue.url` set, the workers\' entries in Redis are removed too.';
  static override examples = ['<%= config.bin %> cache clear'];
  static override flags = { json: Flags.boolean({ description: 'Print what was removed as JSON', default: false }) };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { flags } = await this.parse(CacheClear);
    // state only: plugins load lazily, so the command starts fast
    const project = await this.openLazyProject(flags);
    const [{ clearProjectCache }, { openProjectStores }] = await Promise.all([import('../../../engine/admin/cache-admin.js'), import('../../../queue/project-stores.js')]);
    // with queue.url the workers' entries in Redis go too: else they would replay the old results
    const stores = await openProjectStores(project);
    const s = await clearProjectCache(project.state(), stores.sharedCache).finally(() => stores.close());
    if (this.jsonEnabled()) return { removed: s };
    const { formatBytes } = await import('../../../engine/admin/format.js');
    this.log(`Cleared the cache: ${s.entries} entries and ${s.blobs} blob file(s), ${formatBytes(s.totalBytes)}.`);
  }
}
