/**
 * vitest `setupFiles`: a process warning fails the run, as vitest.config.ts promises. Node
 * prints a warning (MaxListenersExceeded: a listener leak; DeprecationWarning: an API that
 * goes away; a warning a library emits) once and goes on, so nobody reads it; here it is
 * thrown from the `warning` listener, which vitest reports as an unhandled error of the test
 * file, failing the run. Unhandled rejections need nothing here: vitest reports them the
 * same way (`dangerouslyIgnoreUnhandledErrors: false`), which was checked with a test that
 * leaves one (exit 1), as a test emitting a warning was (exit 0 before this file, 1 with it).
 *
 * A warning that is expected must be listed in EXPECTED with why; nothing is dropped silently.
 */
const EXPECTED: Array<{ name: string; message: RegExp; why: string }> = [];

process.on('warning', (w) => {
  if (EXPECTED.some((e) => e.name === w.name && e.message.test(w.message))) return;
  throw new Error(`a process warning fails the test run: ${w.name}: ${w.message}${w.stack ? `\n${w.stack}` : ''}`);
});

