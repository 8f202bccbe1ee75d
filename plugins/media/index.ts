import type { PluginDef } from 'mpv2/plugin';
import fetchImages from './fetch-images.js';

/** The built-in `media` namespace. */
const plugins: PluginDef[] = [fetchImages];
export default plugins;
