import type { NamespaceDef, PluginDef } from './types.js';

/** Identity helper so TypeScript infers a plugin's input and output types. */
export const definePlugin = <I = any, O = any>(plugin: PluginDef<I, O>): PluginDef<I, O> => plugin;

/** Identity helper for what a namespace contributes (config, commands, report lines, checks, accounts). */
export const defineNamespace = (ns: NamespaceDef): NamespaceDef => ns;
