/** The afm namespace: affiliate-marketing campaigns. */
import { defineNamespace, type PluginDef } from 'mpv2/plugin';
import campaign from './campaign.js';
import { afmConfigSchema } from './config.js';
import { reportCommand } from './report-command.js';

const plugins: PluginDef[] = [campaign];
export default plugins;

export const namespace = defineNamespace({
  namespace: 'afm',
  description: 'Affiliate-marketing campaign history',
  config: { schema: afmConfigSchema },
  commands: { report: reportCommand },
});
