import { describe, expect, test } from 'vitest';
import {
  CLOUDWATCH_OBSERVABILITY,
  CloudwatchObservability,
  type CloudwatchObservabilityProps,
  type LogRetentionDays,
} from '../../../modules/addons/cloudwatch-observability';
import { onlyResource, parsePolicy, resourceIds, resourcesOf, synthScope } from '../../helpers/synth';
import { AWS_CONTEXT, CLUSTER } from './fixtures';

const BASE: CloudwatchObservabilityProps = {
  cluster: CLUSTER,
  clusterNameLiteral: 'retail-dev-eksdemo',
  region: 'us-east-1',
  kubernetesVersion: '1.34',
  logRetentionDays: 30,
};
const synth = (props: Partial<CloudwatchObservabilityProps> = {}) =>
  synthScope((scope) => new CloudwatchObservability(scope, 'cw', { ...BASE, ...props }));
const attachedPolicies = (json: ReturnType<typeof synth>) =>
  resourcesOf(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn);

describe('CloudwatchObservability', () => {
  test('the add-on runs as amazon-cloudwatch/cloudwatch-agent through its own pod_identity_association block', () => {
    const json = synth({ version: 'v8.0.0-eksbuild.1' });
    const addon = onlyResource(json, 'aws_eks_addon');
    const [role] = resourceIds(json, 'aws_iam_role');
    expect(addon).toMatchObject({
      addon_name: 'amazon-cloudwatch-observability',
      addon_version: 'v8.0.0-eksbuild.1',
      pod_identity_association: [
        { service_account: 'cloudwatch-agent', role_arn: `\${aws_iam_role.${role}.arn}` },
      ],
    });
    expect(resourcesOf(json, 'aws_eks_pod_identity_association')).toEqual([]);
    expect(attachedPolicies(json)).toEqual(['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy']);
  });

  test('traces: AWSXrayWriteOnlyAccess too, and the agent receives OTLP traces', () => {
    const json = synth({ traces: true });
    expect(attachedPolicies(json)).toEqual([
      'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
      'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess',
    ]);
    const values = JSON.parse(onlyResource(json, 'aws_eks_addon').configuration_values as string);
    expect(values.agent.config.traces).toEqual({ traces_collected: { otlp: {} } });
  });

  test('configuration: enhanced Container Insights, Prometheus into CloudWatch, Fluent Bit container logs', () => {
    const values = JSON.parse(onlyResource(synth(), 'aws_eks_addon').configuration_values as string);
    expect(values.containerLogs).toEqual({ enabled: true });
    expect(values.agent.config.logs.metrics_collected.kubernetes).toEqual({
      enhanced_container_insights: true,
    });
    expect(values.agent.config.traces).toBeUndefined();
    const [declaration, karpenter] =
      values.agent.config.logs.metrics_collected.prometheus.emf_processor.metric_declaration;
    expect(declaration.metric_selectors).toEqual(['^http_server_requests_seconds_(count|sum|max)$']);
    // Karpenter's NodePool gauges, with the dimensions the "at the NodePool limit" alarm reads.
    expect(karpenter).toEqual({
      source_labels: ['job'],
      label_matcher: '^kubernetes-pod-annotations$',
      dimensions: [['ClusterName', 'nodepool', 'resource_type']],
      metric_selectors: ['^(karpenter_nodepools_usage|karpenter_nodepools_limit)$'],
    });
    const [scrape] = values.agent.prometheus.config.scrape_configs;
    expect(scrape.job_name).toBe('kubernetes-pod-annotations');
    expect(scrape.relabel_configs[0]).toEqual({
      source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
      action: 'keep',
      regex: true,
    });
  });

  test('the four Container Insights log groups with the retention, made before the add-on', () => {
    const json = synth({ logRetentionDays: 90 });
    const groups = resourcesOf(json, 'aws_cloudwatch_log_group');
    expect(groups.map((g) => [g.name, g.retention_in_days, g.kms_key_id])).toEqual(
      ['application', 'dataplane', 'host', 'performance'].map((kind) => [
        `/aws/containerinsights/retail-dev-eksdemo/${kind}`,
        90,
        undefined,
      ]),
    );
    expect(onlyResource(json, 'aws_eks_addon').depends_on).toEqual(
      resourceIds(json, 'aws_cloudwatch_log_group').map((id) => `aws_cloudwatch_log_group.${id}`),
    );
    expect(resourcesOf(json, 'aws_kms_key')).toEqual([]);
  });

  test('customer key: rotating, CloudWatch Logs of the region may use it for these log groups only', () => {
    const json = synth({ customerManagedKey: true });
    const key = onlyResource(json, 'aws_kms_key');
    const [keyId] = resourceIds(json, 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    const [admin, logs] = parsePolicy(key.policy).Statement;
    expect(admin).toMatchObject({ Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*' });
    expect(logs).toEqual({
      Sid: 'CloudWatchLogsUsesForContainerInsights',
      Effect: 'Allow',
      Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn':
            'arn:aws:logs:us-east-1:123456789012:log-group:/aws/containerinsights/retail-dev-eksdemo/*',
        },
      },
    });
    for (const group of resourcesOf(json, 'aws_cloudwatch_log_group')) {
      expect(group.kms_key_id).toBe(`\${aws_kms_key.${keyId}.arn}`);
    }
  });

  test('no pinned row for the minor: EKS default version through aws_eks_addon_version, not the most recent', () => {
    const json = synth();
    const data = Object.values(json.data?.aws_eks_addon_version ?? {});
    expect(data).toEqual([
      { addon_name: 'amazon-cloudwatch-observability', kubernetes_version: '1.34', most_recent: false },
    ]);
    expect(onlyResource(json, 'aws_eks_addon').addon_version).toMatch(
      /^\$\{data\.aws_eks_addon_version\.cw_default-version_[0-9A-F]+\.version\}$/,
    );
  });

  test.each([
    [{ logRetentionDays: 3 as LogRetentionDays }, 'CloudwatchObservability logRetentionDays: 3 not allowed'],
    [{ region: 'Virginia' }, 'CloudwatchObservability region: "Virginia" is not an AWS region'],
  ])('rejects %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('the add-on contract: identity outputs and the installed add-on', () => {
    let result: ReturnType<NonNullable<typeof CLOUDWATCH_OBSERVABILITY.aws>>;
    synthScope((scope) => {
      result = CLOUDWATCH_OBSERVABILITY.aws?.(scope, AWS_CONTEXT, CLOUDWATCH_OBSERVABILITY.defaults);
    });
    expect(result?.identity).toMatchObject({
      namespace: 'amazon-cloudwatch',
      serviceAccount: 'cloudwatch-agent',
    });
    expect(result?.installed).toHaveLength(1);
  });
});
