import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Listening {
  /** `ADDRESS:PORT`, as a reference names a registry. */
  host: string;
  /** Stops listening and cuts the connections still open, so that a test's clean-up never waits on a client. */
  close(): Promise<void>;
}

/** Starts an HTTP or HTTPS server on a free port of a loopback address (127.0.0.1 unless told). */
export function listenOnLoopback(server: HttpServer | HttpsServer, address = '127.0.0.1'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => {
      server.off('error', reject);
      resolve({
        host: `${address}:${(server.address() as AddressInfo).port}`,
        close: () => {
          server.closeAllConnections();
          return new Promise((closed) => server.close(() => closed()));
        },
      });
    });
  });
}
