import type { PluginDef } from './types.js';

/** Identity helper so TypeScript infers a plugin's input and output types. */
export const definePlugin = <I = any, O = any>(plugin: PluginDef<I, O>): PluginDef<I, O> => plugin;
