import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TerraformStack } from 'cdktf';
import { describe, expect, test } from 'vitest';
import { validateObservedMetrics, type ObservedMetric } from '../../modules/observability/observed-metric';
import type { EnvironmentOverrides } from '../../stacks/config/schema';
import {
  buildTestPlatform,
  onlyResource,
  parsePolicy,
  resourcesOf,
  synthStack,
  type SynthJson,
} from '../helpers/synth';

function observability(overrides?: EnvironmentOverrides, environment = 'dev'): SynthJson {
  const { stacks } = buildTestPlatform(environment, overrides);
  return synthStack(stacks.observability as TerraformStack);
}

const alarmRows = (json: SynthJson) =>
  resourcesOf(json, 'aws_cloudwatch_metric_alarm')
    .map((a) => [
      a.alarm_name,
      a.metric_name,
      a.statistic ?? a.extended_statistic,
      a.threshold,
      a.period,
      a.evaluation_periods,
      a.datapoints_to_alarm,
      a.treat_missing_data,
    ])
    // Terraform JSON lists resources by logical id: compare by alarm name.
    .sort((x, y) => String(x[0]).localeCompare(String(y[0])));

const widgetMetrics = (json: SynthJson) =>
  (
    JSON.parse(onlyResource(json, 'aws_cloudwatch_dashboard').dashboard_body as string) as {
      widgets: Array<{ properties: { metrics: string[][]; stat: string; period: number } }>;
    }
  ).widgets.map((w) => {
    const [namespace, metricName, ...flat] = w.properties.metrics[0];
    const dimensions = Object.fromEntries(
      flat.flatMap((value, i) => (i % 2 === 0 ? [[value, flat[i + 1]]] : [])),
    );
    return metricKey(namespace, metricName, dimensions, w.properties.stat, w.properties.period);
  });

/** Namespace, name, dimensions (in name order: their order does not matter to CloudWatch), statistic, period. */
const metricKey = (
  namespace: unknown,
  metricName: unknown,
  dimensions: Record<string, string>,
  statistic: unknown,
  period: unknown,
) =>
  JSON.stringify([
    namespace,
    metricName,
    Object.entries(dimensions).sort(([x], [y]) => x.localeCompare(y)),
    statistic,
    period,
  ]);

const alarmMetric = (alarm: Record<string, unknown>) =>
  metricKey(
    alarm.namespace,
    alarm.metric_name,
    (alarm.dimensions as Record<string, string> | undefined) ?? {},
    alarm.statistic ?? alarm.extended_statistic,
    alarm.period,
  );

/** An exposed cart (an Ingress, so an ALB) with the ALB alarms on. */
const ALB_ALARMS: EnvironmentOverrides = {
  cart: { exposure: 'internal', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
  observability: { loadBalancerAlarms: true },
};

describe('ObservabilityStack', () => {
  test("dev: the alarm table (no ALB alarms without loadBalancerAlarms; Karpenter's below)", () => {
    const ops = ['getitem', 'query', 'updateitem', 'deleteitem', 'batchwriteitem'];
    const sorted = (rows: unknown[][]) => rows.sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(alarmRows(observability({ addons: { karpenter: { enabled: false } } }))).toEqual(
      sorted([
        ...ops.map((op) => [
          `retail-dev-cart-table-throttled-${op}`,
          'ThrottledRequests',
          'Sum',
          1,
          60,
          3,
          2,
          'notBreaching',
        ]),
        ...ops.map((op) => [
          `retail-dev-cart-table-system-errors-${op}`,
          'SystemErrors',
          'Sum',
          1,
          60,
          3,
          2,
          'notBreaching',
        ]),
        ['retail-dev-cart-dynamodb-user-errors', 'UserErrors', 'Sum', 5, 300, 2, 2, 'notBreaching'],
        [
          'retail-dev-cart-pod-restarts',
          'pod_number_of_container_restarts',
          'Maximum',
          1,
          300,
          2,
          2,
          'notBreaching',
        ],
        [
          'retail-dev-cart-pod-memory-over-limit',
          'pod_memory_utilization_over_pod_limit',
          'Maximum',
          90,
          300,
          3,
          3,
          'missing',
        ],
      ]),
    );
    expect(resourcesOf(observability(), 'aws_lb')).toEqual([]);
  });

  test('loadBalancerAlarms: 5xx and p99 on the ALB the Load Balancer Controller tagged for the cart Ingress', () => {
    const json = observability(ALB_ALARMS);
    const [lb] = Object.values(json.data?.aws_lb ?? {});
    expect(lb.tags).toEqual({
      'elbv2.k8s.aws/cluster': 'retail-dev-eksdemo',
      'ingress.k8s.aws/stack': 'carts/carts',
    });
    const rows = alarmRows(json).filter((row) => String(row[0]).includes('-alb-'));
    expect(rows).toEqual([
      ['retail-dev-cart-alb-target-5xx', 'HTTPCode_Target_5XX_Count', 'Sum', 10, 60, 5, 3, 'notBreaching'],
      ['retail-dev-cart-alb-target-p99', 'TargetResponseTime', 'p99', 1, 60, 5, 3, 'notBreaching'],
    ]);
  });

  test('an IngressGroup: the ALB is found by the group name the controller tags it with', () => {
    const json = observability({ ...ALB_ALARMS, cart: { ...ALB_ALARMS.cart, ingressGroupName: 'shop' } });
    const [lb] = Object.values(json.data?.aws_lb ?? {});
    expect(lb.tags).toEqual({
      'elbv2.k8s.aws/cluster': 'retail-dev-eksdemo',
      'ingress.k8s.aws/stack': 'shop',
    });
  });

  test('the CloudWatch agent off: no Container Insights alarms (nothing would publish their metrics)', () => {
    const json = observability({ addons: { cloudwatchObservability: { enabled: false } } });
    const names = resourcesOf(json, 'aws_cloudwatch_metric_alarm').map((a) => String(a.alarm_name));
    expect(names).toHaveLength(11);
    expect(names.filter((n) => n.includes('-pod-'))).toEqual([]);
  });

  test('every alarm graphs on the dashboard with the same metric, dimensions, statistic and period', () => {
    const json = observability(ALB_ALARMS);
    const widgets = widgetMetrics(json);
    // Single-metric alarms here (2 ALB + 11 table + 2 pod); the Karpenter formula alarms (on by default) are matched
    // to their widgets query by query in the Karpenter tests below.
    const all = resourcesOf(json, 'aws_cloudwatch_metric_alarm');
    const alarms = all.filter((alarm) => alarm.metric_query === undefined);
    expect([all.length, alarms.length]).toEqual([17, 15]);
    for (const alarm of alarms) expect(widgets, alarm.alarm_name as string).toContain(alarmMetric(alarm));
  });

  test('alarms notify an SNS topic under a customer key CloudWatch may use; e-mail only when set', () => {
    const plain = observability();
    const topic = onlyResource(plain, 'aws_sns_topic');
    expect(topic.name).toBe('retail-dev-cart-alarms');
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.alarm-topic_key_[0-9A-F]+\.arn\}$/);
    const [, cloudwatch] = parsePolicy(onlyResource(plain, 'aws_kms_key').policy).Statement;
    expect(cloudwatch).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    });
    for (const alarm of resourcesOf(plain, 'aws_cloudwatch_metric_alarm')) {
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\..+\.arn\}$/)]);
      expect(alarm.ok_actions).toEqual(alarm.alarm_actions);
    }
    expect(resourcesOf(plain, 'aws_sns_topic_subscription')).toEqual([]);
    const withEmail = observability({ observability: { alarmEmail: 'oncall@example.com' } });
    expect(onlyResource(withEmail, 'aws_sns_topic_subscription')).toMatchObject({
      protocol: 'email',
      endpoint: 'oncall@example.com',
    });
  });

  test('docs/operations.md has a section for every alarm', () => {
    const docs = readFileSync(join(__dirname, '../../docs/operations.md'), 'utf8');
    const json = observability({ ...ALB_ALARMS, addons: { karpenter: { enabled: true } } });
    const alarms = resourcesOf(json, 'aws_cloudwatch_metric_alarm');
    expect(alarms).toHaveLength(17);
    for (const alarm of alarms) {
      const id = (alarm.alarm_name as string).replace('retail-dev-cart-', '');
      const heading = id
        .replace(/^(table-throttled|table-system-errors)-.*$/, '$1-&lt;operation&gt;')
        .replace(
          /^karpenter-[a-z0-9-]+-(cpu|memory)-at-limit$/,
          'karpenter-&lt;nodepool&gt;-&lt;resource&gt;-at-limit',
        );
      expect(docs, id).toContain(`## ${heading}\n`);
    }
  });

  describe('Karpenter: the general NodePool at its limit', () => {
    const KARPENTER_ON: EnvironmentOverrides = { addons: { karpenter: { enabled: true } } };
    const CLUSTER =
      '${data.terraform_remote_state.cross-stack-reference-input-cluster.outputs.cross-stack-output-aws_eks_clustereks_cluster_55B0C966name}';
    const dimensions = (resource: string) => ({
      ClusterName: CLUSTER,
      nodepool: 'general',
      resource_type: resource,
    });
    const karpenterAlarms = (json: SynthJson) =>
      resourcesOf(json, 'aws_cloudwatch_metric_alarm').filter((a) =>
        String(a.alarm_name).includes('karpenter'),
      );

    test('one alarm per limited resource on 100 * usage / limit: 90% in 2 of 2 five-minute periods', () => {
      const alarms = karpenterAlarms(observability(KARPENTER_ON));
      expect(alarms.map((a) => a.alarm_name)).toEqual([
        'retail-dev-cart-karpenter-general-cpu-at-limit',
        'retail-dev-cart-karpenter-general-memory-at-limit',
      ]);
      const [cpu] = alarms;
      expect([
        cpu.threshold,
        cpu.comparison_operator,
        cpu.evaluation_periods,
        cpu.datapoints_to_alarm,
      ]).toEqual([90, 'GreaterThanOrEqualToThreshold', 2, 2]);
      expect([cpu.metric_name, cpu.namespace, cpu.statistic, cpu.period]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      expect(cpu.metric_query).toEqual([
        {
          id: 'result',
          expression: '100 * usage / limit',
          label: 'cpu used, % of the limit',
          return_data: true,
        },
        ...[
          ['usage', 'karpenter_nodepools_usage'],
          ['limit', 'karpenter_nodepools_limit'],
        ].map(([id, name]) => ({
          id,
          return_data: false,
          metric: {
            namespace: 'ContainerInsights/Prometheus',
            metric_name: name,
            dimensions: dimensions('cpu'),
            stat: 'Maximum',
            period: 300,
          },
        })),
      ]);
    });

    test('the dashboard graphs the same formula over the same inputs, with the threshold', () => {
      const json = observability(KARPENTER_ON);
      const widgets = (
        JSON.parse(onlyResource(json, 'aws_cloudwatch_dashboard').dashboard_body as string) as {
          widgets: Array<{ properties: Record<string, unknown> }>;
        }
      ).widgets.filter((w) => String(w.properties.title).startsWith('Karpenter'));
      expect(widgets).toHaveLength(2);
      const alarm = karpenterAlarms(json)[1];
      const memory = widgets[1].properties;
      expect([memory.stat, memory.period, memory.annotations]).toEqual([
        'Maximum',
        300,
        { horizontal: [{ label: 'alarm threshold', value: alarm.threshold }] },
      ]);
      const flat = Object.entries(dimensions('memory')).flat();
      expect(memory.metrics).toEqual([
        [{ expression: '100 * usage / limit', label: 'memory used, % of the limit', id: 'result' }],
        [
          'ContainerInsights/Prometheus',
          'karpenter_nodepools_usage',
          ...flat,
          { id: 'usage', visible: false },
        ],
        [
          'ContainerInsights/Prometheus',
          'karpenter_nodepools_limit',
          ...flat,
          { id: 'limit', visible: false },
        ],
      ]);
      // The alarm's inputs are exactly the graph's hidden series.
      const inputs = (alarm.metric_query as { id: string; metric?: { metric_name: string } }[])
        .filter((q) => q.metric !== undefined)
        .map((q) => [q.id, q.metric?.metric_name]);
      expect(inputs).toEqual(
        (memory.metrics as unknown[][]).slice(1).map((row) => [(row.at(-1) as { id: string }).id, row[1]]),
      );
    });

    test.each([
      ['Karpenter off', { addons: { karpenter: { enabled: false } } }],
      [
        'the CloudWatch agent off',
        { addons: { karpenter: { enabled: true }, cloudwatchObservability: { enabled: false } } },
      ],
    ])('no Karpenter alarm with %s', (_what, overrides) => {
      expect(karpenterAlarms(observability(overrides as EnvironmentOverrides))).toEqual([]);
    });
  });

  test('AWS resources only', () => {
    const json = observability();
    expect(Object.keys(json.provider ?? {})).toEqual(['aws']);
  });

  test('on an emulator, the services it calls (CloudWatch, SNS, KMS) are pointed there too', () => {
    const endpoint = 'http://127.0.0.1:4566';
    const json = observability({ awsEndpoint: endpoint }, 'emulator');
    const [provider] = (json.provider as { aws: { endpoints: Record<string, string>[] }[] }).aws;
    expect(provider.endpoints[0]).toMatchObject({ cloudwatch: endpoint, sns: endpoint, kms: endpoint });
  });
});

describe('validateObservedMetrics', () => {
  const metric: ObservedMetric = {
    id: 'a',
    title: 'A',
    namespace: 'N',
    metricName: 'M',
    dimensions: {},
    statistic: 'Sum',
    periodSeconds: 60,
  };
  test.each([
    [[metric, metric], 'ObservedMetric id: "a" repeats'],
    [[{ ...metric, id: 'A b' }], 'ObservedMetric id: "A b" must be kebab-case'],
    [[{ ...metric, statistic: 'Median' }], 'ObservedMetric a statistic: "Median"'],
    [[{ ...metric, periodSeconds: 90 }], 'ObservedMetric a periodSeconds: 90 — must be a multiple of 60'],
    [
      [
        {
          ...metric,
          alarm: {
            threshold: 1,
            comparison: 'GreaterThanThreshold' as const,
            evaluationPeriods: 2,
            datapointsToAlarm: 3,
            treatMissingData: 'missing' as const,
            why: 'x',
          },
        },
      ],
      'ObservedMetric a alarm.datapointsToAlarm: 3 — must be 1 to evaluationPeriods (2)',
    ],
    [
      [{ ...metric, expression: { formula: '100 * usage', inputs: {} } }],
      'ObservedMetric a expression.inputs: {} — name at least one metric',
    ],
    [
      [{ ...metric, expression: { formula: 'Usage', inputs: { Usage: 'u' } } }],
      'ObservedMetric a expression.inputs: "Usage" is not a query id',
    ],
    [
      [{ ...metric, expression: { formula: '100 * usage', inputs: { usage: 'u', limit: 'l' } } }],
      'ObservedMetric a expression.formula: "100 * usage" does not use "limit"',
    ],
  ])('rejects %#', (metrics, message) => {
    expect(() => validateObservedMetrics(metrics)).toThrow(message);
  });
});
