/** oclif's `command_not_found` hook: `mpv2 <namespace> <name>` for commands plugin namespaces contribute. */
import type { Hook } from '@oclif/core';
import { runContributed } from '../contributed.js';

const hook: Hook<'command_not_found'> = async function (opts) {
  // nothing contributed under that name: oclif's own "command not found"
  if (!await runContributed(opts.config, opts.id, opts.argv ?? [])) this.error(`command ${opts.id.replace(/:/g, ' ')} not found`, { exit: 2 });
};

export default hook;
