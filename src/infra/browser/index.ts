/** Browser automation infrastructure: the factory behind `ctx.browser`, profile locks, binaries. */
export { createBrowserFactory, lockProfile, profileLockFile, type BrowserFactoryOptions, type Mpv2BrowserFactory, type Mpv2BrowserSession, type OpenOptions } from './factory.js';
export { findBrowserBinaries, findChromium, which, CHROMIUM_NAMES, type BrowserBinaries, type BinaryOptions } from './binaries.js';
export { acquireLock, readLock, staleReason, type HeldLock, type LockHolder } from './lock.js';
export { profileProcesses, killProfileProcesses } from './processes.js';
export { chromiumArgs } from './start.js';
