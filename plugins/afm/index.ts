/** The afm namespace: affiliate-marketing campaigns. */
import type { PluginDef } from 'mpv2/plugin';
import campaign from './campaign.js';

const plugins: PluginDef[] = [campaign];
export default plugins;
