/**
 * mpv2-plugin-example: the default export is an array of plugins. mpv2 finds this package
 * in a project's node_modules by its name (`mpv2-plugin-*`); no registration needed.
 */
import slug from './slug.js';
import wordCount from './word-count.js';

export default [wordCount, slug];
