import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: local servers stay on loopback unless told otherwise (a container's 0.0.0.0). */
  hostname?: string;
}

/** Serves a fetch-style app (a Hono app's `fetch`). */
export function serveFetch(
  fetch: (request: Request) => Response | Promise<Response>,
  options: ListenOptions = {},
): Promise<RunningServer> {
  return listen(createAdaptorServer({ fetch }) as Server, options);
}

/** Serves a Node request handler. */
export function serveNode(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: ListenOptions = {},
): Promise<RunningServer> {
  return listen(createServer(handler), options);
}

function listen(server: Server, { port = 0, hostname = '127.0.0.1' }: ListenOptions): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      const actual = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${actual}`,
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
