import { ConfigurationError } from '@aiecs/core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Options of {@link serveMetrics}. */
export interface ServeMetricsOptions {
  /** TCP port; `0` picks a free one (see `server.port`). Default 9464 (OpenTelemetry's Prometheus exporter port). */
  readonly port?: number;
  /**
   * Interface to bind. Default `127.0.0.1`: nothing outside the machine can read the metrics until you say
   * so. In a container scraped from outside (Kubernetes), bind `0.0.0.0`.
   */
  readonly host?: string;
  /** Path of the metrics (default `/metrics`); every other path answers 404. */
  readonly path?: string;
}

/** A running metrics endpoint; close it (or `await using`) when the app stops. */
export interface MetricsServer extends AsyncDisposable {
  /** The port it listens on (the one picked when `port: 0`). */
  readonly port: number;
  /** `http://host:port/metrics`. */
  readonly url: string;
  /** Stops listening and ends open connections; idempotent. */
  close(): Promise<void>;
}

/** Default port: the one OpenTelemetry's Prometheus exporter uses (9090 is Prometheus's own). */
export const DEFAULT_METRICS_PORT = 9464;

function checkPort(port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigurationError('port', port, 'expected a whole number from 0 to 65535');
  }
  return port;
}

/**
 * Serves `registry` as Prometheus text on `GET /metrics`, for apps that have no HTTP server of their own
 * (one that has mounts `registry.metrics()` on its own route instead). Node's `http` server: the endpoint
 * is one route, and a framework would be a dependency for nothing. A collection that fails answers 500
 * and the server keeps serving.
 *
 * @example
 * ```ts
 * await using server = await serveMetrics(metrics.registry, { port: Number(process.env.PROMETHEUS_PORT ?? 9464) });
 * console.log(`metrics at ${server.url}`);
 * ```
 */
export async function serveMetrics(registry: Registry, options: ServeMetricsOptions = {}): Promise<MetricsServer> {
  if (registry === null || typeof registry !== 'object' || typeof registry.metrics !== 'function') {
    throw new ConfigurationError('registry', registry, 'expected a prom-client Registry');
  }
  const port = checkPort(options.port ?? DEFAULT_METRICS_PORT);
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/metrics';
  if (typeof host !== 'string' || host === '')
    throw new ConfigurationError('host', host, 'expected an interface address such as 127.0.0.1');
  if (typeof path !== 'string' || !path.startsWith('/')) throw new ConfigurationError('path', path, "expected a path starting with '/'");

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://metrics');
    if (url.pathname !== path) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405, { allow: 'GET, HEAD' }).end();
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(request.method === 'HEAD' ? undefined : text),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics collection failed: ${String(error)}\n`),
    );
  });
  await listen(server, port, host);
  const bound = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { port: bound, url: `http://${shownHost}:${bound}${path}`, close, [Symbol.asyncDispose]: close };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error): void =>
      reject(new ConfigurationError('port', port, `cannot listen on ${host}:${port}: ${error.message}`));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}
