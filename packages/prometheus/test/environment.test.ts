import { ConfigurationError } from '@aiecs/core';
import { createApp } from '@aiecs/executor';
import { Registry } from 'prom-client';
import { enablePrometheus, metricsFromEnvironment, PrometheusMetrics, serveMetrics } from '../src';
import { OrdersTool } from './toolsUnderTest';

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

describe('metricsFromEnvironment', () => {
  it('is on by default, with the prometheus backend and no server', () => {
    expect(metricsFromEnvironment({})).toEqual({ enabled: true });
  });

  it('respects ENABLE_METRICS and METRICS_BACKEND', () => {
    expect(metricsFromEnvironment({ ENABLE_METRICS: 'false' }).enabled).toBe(false);
    expect(metricsFromEnvironment({ ENABLE_METRICS: 'on', METRICS_BACKEND: 'none' }).enabled).toBe(false);
    expect(metricsFromEnvironment({ METRICS_BACKEND: 'Prometheus', PROMETHEUS_PORT: '9464', PROMETHEUS_HOST: '0.0.0.0' })).toEqual({
      enabled: true,
      port: 9464,
      host: '0.0.0.0',
    });
  });

  it.each([
    [{ ENABLE_METRICS: 'maybe' }, 'ENABLE_METRICS'],
    [{ METRICS_BACKEND: 'statsd' }, 'METRICS_BACKEND'],
    [{ PROMETHEUS_PORT: 'http' }, 'PROMETHEUS_PORT'],
    [{ PROMETHEUS_PORT: '70000' }, 'PROMETHEUS_PORT'],
  ])('refuses %j with a ConfigurationError naming %s', (env, variable) => {
    expect(() => metricsFromEnvironment(env)).toThrow(ConfigurationError);
    expect(() => metricsFromEnvironment(env)).toThrow(variable);
  });
});

describe('enablePrometheus', () => {
  it('returns undefined and subscribes nothing when metrics are off', async () => {
    await using app = createApp({ tools: [OrdersTool], logger: quietLogger });
    await expect(enablePrometheus(app, { env: { ENABLE_METRICS: '0' } })).resolves.toBeUndefined();
  });

  it('subscribes, serves on PROMETHEUS_PORT, and stops both on close', async () => {
    await using app = createApp({ tools: [OrdersTool], logger: quietLogger });
    const handle = (await enablePrometheus(app, { env: { PROMETHEUS_PORT: '0' } }))!;
    await app.run('orders.lookup', { key: 'a' });
    const text = await (await fetch(handle.server!.url)).text();
    expect(text).toContain('tool_executions_total{tool_name="orders",operation="lookup"} 1');
    await handle.close();
    await expect(fetch(handle.server!.url)).rejects.toThrow();
    await app.run('orders.lookup', { key: 'a' });
    expect(await handle.metrics.registry.getSingleMetricAsString('tool_executions_total')).toContain('operation="lookup"} 1');
  });
});

describe('PrometheusMetrics options', () => {
  it("takes a registry of the user's choice and a prefix", async () => {
    const registry = new Registry();
    const metrics = new PrometheusMetrics({ registry, prefix: 'agents_' });
    expect(metrics.registry).toBe(registry);
    expect(registry.getSingleMetric('agents_tool_executions_total')).toBeDefined();
  });

  it('refuses a second listener on one registry, and bad options, with a ConfigurationError', () => {
    const registry = new Registry();
    new PrometheusMetrics({ registry });
    expect(() => new PrometheusMetrics({ registry })).toThrow(ConfigurationError);
    expect(() => new PrometheusMetrics({ prefix: 'my-app' })).toThrow('prefix');
    expect(() => new PrometheusMetrics({ durationBuckets: [1, 0.5] })).toThrow('durationBuckets');
    expect(() => new PrometheusMetrics({ registry: {} as Registry })).toThrow('registry');
  });

  it('serveMetrics refuses a bad port, and a port in use, with a ConfigurationError', async () => {
    const registry = new Registry();
    await expect(serveMetrics(registry, { port: -1 })).rejects.toThrow(ConfigurationError);
    await using first = await serveMetrics(registry, { port: 0 });
    await expect(serveMetrics(registry, { port: first.port })).rejects.toThrow(/cannot listen/);
  });
});
