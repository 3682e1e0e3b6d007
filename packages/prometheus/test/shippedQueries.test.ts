import { parser } from '@prometheus-io/lezer-promql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PrometheusMetrics } from '../src';

const root = join(__dirname, '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
}

/** The metric names an expression selects, from PromQL's own grammar (lezer-promql, the Prometheus UI's parser); throws on a syntax error. */
function selectedMetrics(expr: string): string[] {
  const tree = parser.parse(expr);
  const names: string[] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) throw new Error(`PromQL syntax error at ${cursor.from} in: ${expr}`);
    if (cursor.name === 'VectorSelector') {
      const name = cursor.node.getChild('Identifier');
      if (name !== null) names.push(expr.slice(name.from, name.to));
    }
  } while (cursor.next());
  return names;
}

/** The comparison an alert fires on: operator and threshold, from the parse tree. */
function comparison(expr: string): { operator: string; threshold: number } {
  const top = parser.parse(expr).topNode.firstChild!;
  expect(top.name).toBe('BinaryExpr');
  const operator = top.getChild('Lss') ?? top.getChild('Gtr');
  const threshold = top.lastChild!;
  return { operator: expr.slice(operator!.from, operator!.to), threshold: Number(expr.slice(threshold.from, threshold.to)) };
}

/** Names the registry exposes: each metric, and a histogram's `_bucket`, `_sum` and `_count` series. */
function exposedNames(): Set<string> {
  const names = new Set<string>();
  for (const metric of new PrometheusMetrics().registry.getMetricsAsArray()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
  }
  return names;
}

/** Grafana's template variables, as Grafana substitutes them before the query reaches Prometheus. */
function withGrafanaVariables(expr: string): string {
  return expr.replaceAll('$__rate_interval', '5m').replaceAll('$tool', '.*');
}

describe('the alerting rules shipped in alerts/aiecs-alerts.yml', () => {
  const rules = (parseYaml(read('alerts/aiecs-alerts.yml')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

  it("are the seeds' three thresholds: hit rate < 80 %, timeout rate > 5 %, retry rate > 10 %", () => {
    const byName = Object.fromEntries(rules.map((rule) => [rule.alert, comparison(rule.expr)]));
    expect(byName).toEqual({
      AiecsCacheHitRateLow: { operator: '<', threshold: 0.8 },
      AiecsTimeoutRateHigh: { operator: '>', threshold: 0.05 },
      AiecsRetryRateHigh: { operator: '>', threshold: 0.1 },
    });
  });

  it('select only metrics the registry exposes', () => {
    const exposed = exposedNames();
    for (const rule of rules) {
      const names = selectedMetrics(rule.expr);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names)
        expect({ alert: rule.alert, name, exposed: exposed.has(name) }).toEqual({ alert: rule.alert, name, exposed: true });
    }
  });
});

describe('the Grafana dashboard shipped in grafana/aiecs-tools-dashboard.json', () => {
  const dashboard = JSON.parse(read('grafana/aiecs-tools-dashboard.json')) as {
    panels: { title: string; targets: { expr: string }[] }[];
    templating: { list: { query: { query: string } }[] };
  };

  it("has the seeds' four panels: hit rate, p95 duration, retry rate, timeout rate", () => {
    const titles = dashboard.panels.map((p) => p.title);
    expect(titles).toEqual(
      expect.arrayContaining(['Cache hit rate', 'p95 call duration', 'Retry rate (retries per call)', 'Timeout rate (deadlines per call)']),
    );
    const p95 = dashboard.panels.find((p) => p.title === 'p95 call duration')!;
    expect(p95.targets[0]!.expr).toContain('histogram_quantile(0.95,');
  });

  it('queries only metrics the registry exposes', () => {
    const exposed = exposedNames();
    const queries = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: withGrafanaVariables(t.expr) })));
    expect(queries.length).toBeGreaterThanOrEqual(4);
    for (const { panel, expr } of queries) {
      for (const name of selectedMetrics(expr)) expect({ panel, name, exposed: exposed.has(name) }).toEqual({ panel, name, exposed: true });
    }
    // The tool variable's label_values() names a metric too.
    expect(dashboard.templating.list[0]!.query.query).toBe('label_values(tool_executions_total, tool_name)');
    expect(exposed.has('tool_executions_total')).toBe(true);
  });

  it('ships with the package (both files are in `files`)', () => {
    const manifest = JSON.parse(read('package.json')) as { files: string[] };
    expect(manifest.files).toEqual(expect.arrayContaining(['grafana', 'alerts']));
  });
});

describe('selectedMetrics', () => {
  it('finds the names, and refuses an expression that does not parse (so the checks above can fail)', () => {
    expect(selectedMetrics('sum(rate(a_total[5m])) / sum(rate(b_total{x="y"}[5m]))')).toEqual(['a_total', 'b_total']);
    expect(() => selectedMetrics('sum(rate(a_total[5m])')).toThrow('PromQL syntax error');
  });
});
