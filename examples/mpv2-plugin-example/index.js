/**
 * mpv2-plugin-example: the default export is the list of plugins (steps); `namespace` is what
 * the namespace contributes besides them. mpv2 finds this package in a project's node_modules
 * by its name (`mpv2-plugin-*`); no registration needed.
 */
import slug from './slug.js';
import wordCount from './word-count.js';

export { default as namespace } from './namespace.js';
export default [wordCount, slug];
