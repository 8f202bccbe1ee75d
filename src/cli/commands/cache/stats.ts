import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class CacheStats extends BaseCommand {
  static override summary = 'Show the size of the step and call cache';
  static override description = 'Entries (cached step results and plugin call results, expired ones removed first) and their size, and the output files kept for cached steps in .mpv2/cache/blobs/.';
  static override examples = ['<%= config.bin %> cache stats', '<%= config.bin %> cache stats --json'];
  static override flags = { json: Flags.boolean({ description: 'Print the numbers as JSON', default: false }) };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { flags } = await this.parse(CacheStats);
    // state only: plugins load lazily, so the command starts fast
    const project = await this.openLazyProject(flags);
    const [{ projectCacheStats }, { openProjectStores }] = await Promise.all([import('../../../engine/admin/cache-admin.js'), import('../../../queue/project-stores.js')]);
    // with queue.url the workers' entries are in Redis
    const stores = await openProjectStores(project);
    const s = await projectCacheStats(project.state(), stores.sharedCache).finally(() => stores.close());
    if (this.jsonEnabled()) return s;
    const { formatBytes } = await import('../../../engine/admin/format.js');
    this.log(`Entries: ${s.entries} (${formatBytes(s.entryBytes)})${s.shared ? `, of which ${s.shared.entries} in Redis (the workers')` : ''}`);
    this.log(`Blobs:   ${s.blobs} file(s) (${formatBytes(s.blobBytes)}) in ${s.blobsDir}`);
    this.log(`Total:   ${formatBytes(s.totalBytes)} (limit: cache.maxSize ${project.config.values.cache.maxSize})`);
  }
}
