/** The twitter namespace: posting to X. */
import type { PluginDef } from 'mpv2/plugin';
import post from './post.js';

const plugins: PluginDef[] = [post];
export default plugins;
