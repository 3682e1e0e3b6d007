export { PrometheusMetrics, type ObservedApp, type PrometheusMetricsOptions } from './PrometheusMetrics';
export { METRIC_NAMES, CIRCUIT_STATES, DEFAULT_DURATION_BUCKETS, type MetricName } from './metricNames';
export { serveMetrics, DEFAULT_METRICS_PORT, type MetricsServer, type ServeMetricsOptions } from './serveMetrics';
export {
  enablePrometheus,
  metricsFromEnvironment,
  METRICS_BACKENDS,
  type InstrumentedApp,
  type MetricsEnvironment,
  type PrometheusHandle,
} from './environment';
