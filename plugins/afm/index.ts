/** The afm namespace: affiliate-marketing campaigns. */
import type { PluginDef } from '../../src/plugin/types.js';
import campaign from './campaign.js';

const plugins: PluginDef[] = [campaign];
export default plugins;
