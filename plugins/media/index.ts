import type { PluginDef } from '../../src/plugin/types.js';
import fetchImages from './fetch-images.js';

/** The built-in `media` namespace. */
const plugins: PluginDef[] = [fetchImages];
export default plugins;
