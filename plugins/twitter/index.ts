/** The twitter namespace: posting to X. */
import type { PluginDef } from '../../src/plugin/types.js';
import post from './post.js';

const plugins: PluginDef[] = [post];
export default plugins;
