/**
 * How every protocol test server listens: an HTTP server on 127.0.0.1 at a port the OS picks,
 * and a close that drops the connections still open (keep-alive, a request left hanging on
 * purpose), so a test's teardown never waits on a client that is gone.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  /** Resolves once the server stopped; closing one already stopped is no error. */
  close(): Promise<void>;
}

export async function listenLoopback(server: Server): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
