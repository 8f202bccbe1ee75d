import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class CacheClear extends BaseCommand {
  static override summary = 'Empty the step and call cache';
  static override description = 'Removes every cache entry and every blob in .mpv2/cache/blobs/. The next runs compute everything again (LLM calls, TTS, renders). Run folders and effect records are not touched.';
  static override examples = ['<%= config.bin %> cache clear'];
  static override flags = { json: Flags.boolean({ description: 'Print what was removed as JSON', default: false }) };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { flags } = await this.parse(CacheClear);
    // state only: plugins load lazily, so the command starts fast
    const project = await this.openLazyProject(flags);
    const { clearCache } = await import('../../../engine/admin/cache-admin.js');
    const s = clearCache(project.state());
    if (this.jsonEnabled()) return { removed: s };
    const { formatBytes } = await import('../../../engine/admin/format.js');
    this.log(`Cleared the cache: ${s.entries} entries and ${s.blobs} blob file(s), ${formatBytes(s.totalBytes)}.`);
  }
}
