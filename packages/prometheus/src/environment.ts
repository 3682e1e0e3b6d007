import { ConfigurationError } from '@aiecs/core';
import type { ToolEventListener } from '@aiecs/executor';
import { PrometheusMetrics, type ObservedApp, type PrometheusMetricsOptions } from './PrometheusMetrics';
import { serveMetrics, type MetricsServer } from './serveMetrics';

type Env = Readonly<Record<string, string | undefined>>;

/** What the environment says about metrics. */
export interface MetricsEnvironment {
  /** `ENABLE_METRICS` (default true) and `METRICS_BACKEND` (default `prometheus`) together. */
  readonly enabled: boolean;
  /** `PROMETHEUS_PORT`: serve `/metrics` on it; absent: no server (mount `registry.metrics()` yourself). */
  readonly port?: number;
  /** `PROMETHEUS_HOST` (default `127.0.0.1`). */
  readonly host?: string;
}

/** The values `METRICS_BACKEND` accepts. */
export const METRICS_BACKENDS = ['prometheus', 'none'] as const;

function flag(variable: string, raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new ConfigurationError(variable, raw, 'expected true or false');
}

const given = (raw: string | undefined): raw is string => raw !== undefined && raw.trim() !== '';

/**
 * Reads `ENABLE_METRICS`, `METRICS_BACKEND`, `PROMETHEUS_PORT` and `PROMETHEUS_HOST`; a malformed value
 * throws `ConfigurationError` naming the variable.
 */
export function metricsFromEnvironment(env: Env = process.env): MetricsEnvironment {
  const enabledFlag = given(env.ENABLE_METRICS) ? flag('ENABLE_METRICS', env.ENABLE_METRICS) : true;
  const backend = given(env.METRICS_BACKEND) ? env.METRICS_BACKEND.trim().toLowerCase() : 'prometheus';
  if (!(METRICS_BACKENDS as readonly string[]).includes(backend)) {
    throw new ConfigurationError('METRICS_BACKEND', env.METRICS_BACKEND, `expected one of ${METRICS_BACKENDS.join(', ')}`);
  }
  let port: number | undefined;
  if (given(env.PROMETHEUS_PORT)) {
    if (!/^\d+$/.test(env.PROMETHEUS_PORT.trim()) || Number(env.PROMETHEUS_PORT) > 65_535) {
      throw new ConfigurationError('PROMETHEUS_PORT', env.PROMETHEUS_PORT, 'expected a port number from 0 to 65535');
    }
    port = Number(env.PROMETHEUS_PORT);
  }
  const host = given(env.PROMETHEUS_HOST) ? env.PROMETHEUS_HOST.trim() : undefined;
  return {
    enabled: enabledFlag && backend === 'prometheus',
    ...(port === undefined ? {} : { port }),
    ...(host === undefined ? {} : { host }),
  };
}

/** The app {@link enablePrometheus} instruments: an `App` fits. */
export interface InstrumentedApp extends ObservedApp {
  subscribe(listener: ToolEventListener): () => void;
}

/** What {@link enablePrometheus} started; `close()` unsubscribes and stops the server. */
export interface PrometheusHandle extends AsyncDisposable {
  readonly metrics: PrometheusMetrics;
  /** The `/metrics` server, when `PROMETHEUS_PORT` (or `options.port`) asked for one. */
  readonly server?: MetricsServer;
  close(): Promise<void>;
}

/**
 * Metrics as the environment says: when enabled (`ENABLE_METRICS`, `METRICS_BACKEND=prometheus`),
 * subscribes a {@link PrometheusMetrics} to `app`, observes it, and serves `/metrics` on `PROMETHEUS_PORT`
 * when set (or `port` given). Returns `undefined` when metrics are off. Explicit options win over the
 * environment.
 *
 * @example
 * ```ts
 * await using app = createApp({ tools: [FileTool] });
 * await using prometheus = await enablePrometheus(app); // PROMETHEUS_PORT=9464 → http://127.0.0.1:9464/metrics
 * ```
 */
export async function enablePrometheus(
  app: InstrumentedApp,
  options: PrometheusMetricsOptions & { readonly port?: number; readonly host?: string; readonly env?: Env } = {},
): Promise<PrometheusHandle | undefined> {
  const environment = metricsFromEnvironment(options.env);
  if (!environment.enabled) return undefined;
  const metrics = new PrometheusMetrics(options);
  const unsubscribe = app.subscribe(metrics);
  const unobserve = metrics.observe(app);
  const port = options.port ?? environment.port;
  let server: MetricsServer | undefined;
  try {
    server = port === undefined ? undefined : await serveMetrics(metrics.registry, { port, host: options.host ?? environment.host });
  } catch (error) {
    unsubscribe();
    unobserve();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      unsubscribe();
      unobserve();
      await server?.close();
    })());
  return { metrics, ...(server === undefined ? {} : { server }), close, [Symbol.asyncDispose]: close };
}
