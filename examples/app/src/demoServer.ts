import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server for the demo: `/flaky` fails once, `/slow` never answers in time. */
export interface DemoServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Requests received, by path. */
  readonly hits: ReadonlyMap<string, number>;
  /** Stops listening and drops every connection (keep-alive and pending ones included). Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the server on 127.0.0.1 and a free port:
 * - `/hello` → 200 `hello`
 * - `/flaky` → 503 the first time, then 200 `recovered`
 * - `/slow`  → holds the request and never answers (until the server closes)
 * - anything else → 404
 */
export async function startDemoServer(): Promise<DemoServer> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const route = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const count = (hits.get(route) ?? 0) + 1;
    hits.set(route, count);
    const send = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    switch (route) {
      case '/hello':
        return send(200, 'hello');
      case '/flaky':
        return count === 1 ? send(503, 'warming up') : send(200, 'recovered');
      case '/slow':
        return; // no answer: the client's deadline or the server's close ends it
      default:
        return send(404, 'not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // close() waits for open connections: fetch keeps idle ones alive, and /slow holds its own.
        server.closeAllConnections();
      })),
  };
}
