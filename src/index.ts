/**
 * The public API of mpv2: the plugin SDK (`mpv2/plugin`, which is also what plugins import)
 * and the typed config helper. Anything not exported here or from `mpv2/plugin` and
 * `mpv2/testing` is internal.
 */
export * from './sdk/plugin.js';
export { ERROR_CODES } from './errors.js';
export { defineConfig } from './config/load.js';
export type { Mpv2Config, Mpv2UserConfig } from './config/load.js';
