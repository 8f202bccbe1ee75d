/** What `mpv2 serve` does behind its flags: start, print the address (and a made-up token, once), stop on Ctrl-C / SIGTERM. */
import type { Project } from '../engine/project.js';
import { openInBrowser } from './open-browser.js';
import { startServer } from './server.js';

export interface ServeCommandOptions {
  project: Project;
  port?: number;
  host?: string;
  open?: boolean;
  print(line: string): void;
  warn(line: string): void;
}

export async function serveUntilStopped(o: ServeCommandOptions): Promise<void> {
  const server = await startServer({ project: o.project, port: o.port, host: o.host });
  o.print(`mpv2 serve: ${server.url}`);
  // printed once: it is not stored anywhere, and every other output redacts it
  if (server.generatedToken && server.token) o.print(`token: ${server.token}`);
  if (o.open) openInBrowser(server.url).catch((e: Error) => o.warn(`--open: ${o.project.redactor.redact(e.message)}`));
  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (stopping) process.exit(sig === 'SIGINT' ? 130 : 143); // a second signal: leave now
      stopping = true;
      o.print(`${sig === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'}: stopping runs and the server…`);
      server.close().then(resolve, (e: Error) => {
        o.warn(o.project.redactor.redact(e.message));
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
