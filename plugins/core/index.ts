import type { PluginDef } from 'mpv2/plugin';
import set from './set.js';
import log from './log.js';
import wait from './wait.js';
import fileRead from './file-read.js';
import fileWrite from './file-write.js';
import httpRequest from './http-request.js';

/** The built-in utility plugins: core.set, core.log, core.wait, file.read, file.write, http.request. */
const plugins: PluginDef[] = [set, log, wait, fileRead, fileWrite, httpRequest];
export default plugins;
