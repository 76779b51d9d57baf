/**
 * The Amazon CloudWatch Observability EKS add-on: the CloudWatch agent (Container Insights with enhanced
 * observability, the cart's Prometheus metrics, an OTLP endpoint for traces) and Fluent Bit (container logs).
 *
 * Sources (AWS docs): "Install the CloudWatch agent with the Amazon CloudWatch Observability EKS add-on or the Helm
 * chart" (configuration keys `agent.config`, `containerLogs.enabled`; Pod Identity from add-on 3.1.0 with
 * `--pod-identity-associations serviceAccount=cloudwatch-agent`, namespace `amazon-cloudwatch`; policies
 * `CloudWatchAgentServerPolicy`, and `AWSXrayWriteOnlyAccess` for traces) and "OTLP ingestion" (the agent's
 * OTLP endpoint, on by default from add-on 8.0.0: gRPC 4317, HTTP 4318 on the `cloudwatch-agent` Service).
 */
import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { z } from 'zod';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsEksAddonVersion } from '@cdktf/provider-aws/lib/data-aws-eks-addon-version';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { policyDocument } from '../iam-policy';
import { KARPENTER_NODEPOOL_METRICS } from '../observability/karpenter-metrics';
import type { AddonCluster, PlatformAddon } from './addon';
import { EksManagedAddon } from './eks-managed-addon';
import type { KubernetesVersion } from './kubernetes-versions';

/** Where the agent runs and as whom (fixed by the EKS add-on), and the managed policies it needs. */
export const CLOUDWATCH_OBSERVABILITY_DEFAULTS = {
  id: 'cloudwatch-observability',
  addonName: 'amazon-cloudwatch-observability',
  namespace: 'amazon-cloudwatch',
  serviceAccount: 'cloudwatch-agent',
  managedPolicy: 'CloudWatchAgentServerPolicy',
  /** Only when traces are on: the agent forwards spans to X-Ray. */
  tracesPolicy: 'AWSXrayWriteOnlyAccess',
  /** The agent's OTLP/HTTP receiver port (on the `cloudwatch-agent` Service and pods). */
  otlpHttpPort: 4318,
  /** The agent's OTLP/HTTP receiver (Service `cloudwatch-agent` in `amazon-cloudwatch`, port 4318). */
  otlpHttpEndpoint: 'http://cloudwatch-agent.amazon-cloudwatch:4318',
} as const;

/**
 * The pinned `amazon-cloudwatch-observability` versions. None is pinned yet: no source within reach (the AWS docs
 * searched for this change) lists the add-on's builds per Kubernetes minor, and a guessed `-eksbuild.N` would
 * fail at apply. A minor without a row takes EKS's *default* version for that minor through the
 * `aws_eks_addon_version` data source (`most_recent = false`: it moves only when AWS changes the default, not
 * with every new build). Pin a row from:
 *
 *   aws eks describe-addon-versions --kubernetes-version 1.34 --addon-name amazon-cloudwatch-observability \
 *     --query 'addons[].addonVersions[?compatibilities[?defaultVersion]].addonVersion' --output text
 *
 * or per environment with `addons.cloudwatchObservability.version`. 8.0.0 or later serves the OTLP endpoint.
 */
export const CLOUDWATCH_OBSERVABILITY_VERSIONS: Readonly<Partial<Record<KubernetesVersion, string>>> = {};

/** The Container Insights log groups the agent and Fluent Bit write to (`/aws/containerinsights/<cluster>/…`). */
export const CONTAINER_INSIGHTS_LOG_KINDS = ['application', 'dataplane', 'host', 'performance'] as const;
/** Retentions CloudWatch Logs accepts that the platform offers (days). */
export const LOG_RETENTION_DAYS = [7, 14, 30, 90, 180, 365] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/** The log group of one Container Insights kind. */
export function containerInsightsLogGroupName(clusterName: string, kind: string): string {
  return `/aws/containerinsights/${clusterName}/${kind}`;
}

/** The add-on's configuration values (validated by EKS against the add-on version's schema). */
export function cloudwatchObservabilityConfiguration(traces: boolean): Record<string, unknown> {
  return {
    agent: {
      config: {
        logs: {
          metrics_collected: {
            kubernetes: { enhanced_container_insights: true },
            // The cart's Prometheus endpoint (pod annotations prometheus.io/*), as Container Insights metrics.
            prometheus: PROMETHEUS_EMF,
          },
        },
        ...(traces && { traces: { traces_collected: { otlp: {} } } }),
      },
      prometheus: { config: PROMETHEUS_SCRAPE },
    },
    containerLogs: { enabled: true },
  };
}

/** Scrape every pod that asks for it with the `prometheus.io/scrape|port|path` annotations. */
const PROMETHEUS_SCRAPE = {
  global: { scrape_interval: '1m', scrape_timeout: '10s' },
  scrape_configs: [
    {
      job_name: 'kubernetes-pod-annotations',
      kubernetes_sd_configs: [{ role: 'pod' }],
      relabel_configs: [
        {
          source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
          action: 'keep',
          regex: true,
        },
        {
          source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'],
          action: 'replace',
          target_label: '__metrics_path__',
          regex: '(.+)',
        },
        {
          source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
          action: 'replace',
          regex: '([^:]+)(?::\\d+)?;(\\d+)',
          replacement: '$1:$2',
          target_label: '__address__',
        },
        { source_labels: ['__meta_kubernetes_namespace'], target_label: 'Namespace' },
        { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod_name' },
      ],
    },
  ],
};

/** Which scraped series become CloudWatch metrics (`ContainerInsights/Prometheus`), and their dimensions. */
const PROMETHEUS_EMF = {
  emf_processor: {
    metric_declaration: [
      {
        source_labels: ['job'],
        label_matcher: '^kubernetes-pod-annotations$',
        dimensions: [['ClusterName', 'Namespace', 'uri', 'status']],
        metric_selectors: ['^http_server_requests_seconds_(count|sum|max)$'],
      },
      {
        // Karpenter's NodePool usage and limits (when Karpenter runs): the "at the NodePool limit" alarm.
        source_labels: ['job'],
        label_matcher: '^kubernetes-pod-annotations$',
        dimensions: [[...KARPENTER_NODEPOOL_METRICS.dimensions]],
        metric_selectors: [`^(${KARPENTER_NODEPOOL_METRICS.usage}|${KARPENTER_NODEPOOL_METRICS.limit})$`],
      },
    ],
  },
};

export interface CloudwatchObservabilityProps {
  /** The cluster. */
  readonly cluster: AddonCluster;
  /** The cluster's name known at synth: it names the log groups the agent writes to. */
  readonly clusterNameLiteral: string;
  /** The cluster's region (the CloudWatch Logs service principal of the key policy). */
  readonly region: string;
  /** Exact EKS add-on version. @default - EKS's default version for `kubernetesVersion` (data source) */
  readonly version?: string;
  /** The cluster's Kubernetes minor (for the default version). */
  readonly kubernetesVersion: KubernetesVersion;
  /** Retention of the Container Insights log groups, in days. */
  readonly logRetentionDays: LogRetentionDays;
  /** Encrypt the log groups with a customer KMS key created here. @default false - CloudWatch Logs' own encryption */
  readonly customerManagedKey?: boolean;
  /** Receive OTLP traces and send them to X-Ray (`AWSXrayWriteOnlyAccess`). @default false */
  readonly traces?: boolean;
  /** IAM role name. @default `<clusterNameLiteral>-cloudwatch-observability` */
  readonly roleName?: string;
  /** Further resources the add-on waits for (same stack). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The add-on with its Pod Identity role (through the add-on's `pod_identity_association` block), and the four
 * Container Insights log groups created by Terraform first — with a retention, and a customer key in prod —
 * instead of by the agent (which would create them without a retention, keeping logs forever).
 */
export class CloudwatchObservability extends Construct {
  public readonly managed: EksManagedAddon;
  /** The log groups, by kind (`application`, `dataplane`, `host`, `performance`). */
  public readonly logGroups: Readonly<Record<string, CloudwatchLogGroup>>;
  /** The customer key of the log groups, when `customerManagedKey`. */
  public readonly logKey?: KmsKey;

  constructor(scope: Construct, id: string, props: CloudwatchObservabilityProps) {
    super(scope, id);
    validate(props);
    const d = CLOUDWATCH_OBSERVABILITY_DEFAULTS;
    const traces = props.traces ?? false;
    if (props.customerManagedKey === true) this.logKey = this.createLogKey(props);
    const logGroups: Record<string, CloudwatchLogGroup> = {};
    for (const kind of CONTAINER_INSIGHTS_LOG_KINDS) {
      logGroups[kind] = new CloudwatchLogGroup(this, `logs-${kind}`, {
        name: containerInsightsLogGroupName(props.clusterNameLiteral, kind),
        retentionInDays: props.logRetentionDays,
        kmsKeyId: this.logKey?.arn,
      });
    }
    this.logGroups = logGroups;
    this.managed = new EksManagedAddon(this, 'addon', {
      cluster: props.cluster,
      addonName: d.addonName,
      version: props.version ?? this.defaultVersion(props.kubernetesVersion),
      identity: {
        addonId: d.id,
        namespace: d.namespace,
        serviceAccount: d.serviceAccount,
        iam: { managedPolicies: [d.managedPolicy, ...(traces ? [d.tracesPolicy] : [])] },
        roleName: props.roleName ?? `${props.clusterNameLiteral}-${d.id}`,
      },
      configurationValues: cloudwatchObservabilityConfiguration(traces),
      // The agent and Fluent Bit find their log groups (retention, key) instead of creating bare ones.
      dependsOn: [...Object.values(logGroups), ...(props.dependsOn ?? [])],
    });
  }

  private defaultVersion(kubernetesVersion: KubernetesVersion): string {
    const pinned = CLOUDWATCH_OBSERVABILITY_VERSIONS[kubernetesVersion];
    if (pinned !== undefined) return pinned;
    return new DataAwsEksAddonVersion(this, 'default-version', {
      addonName: CLOUDWATCH_OBSERVABILITY_DEFAULTS.addonName,
      kubernetesVersion,
      mostRecent: false,
    }).version;
  }

  /** A rotating key CloudWatch Logs may use for exactly this cluster's Container Insights log groups. */
  private createLogKey(props: CloudwatchObservabilityProps): KmsKey {
    const { partition, accountId } = props.cluster;
    const logGroupArns = `arn:${partition}:logs:${props.region}:${accountId}:log-group:${containerInsightsLogGroupName(props.clusterNameLiteral, '*')}`;
    const key = new KmsKey(this, 'logs-key', {
      description: `Container Insights logs of EKS cluster ${props.clusterNameLiteral}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument([
        {
          sid: 'AccountAdministers',
          principals: { AWS: `arn:${partition}:iam::${accountId}:root` },
          actions: ['kms:*'],
          resources: ['*'],
        },
        {
          sid: 'CloudWatchLogsUsesForContainerInsights',
          principals: { Service: `logs.${props.region}.amazonaws.com` },
          actions: [
            'kms:Encrypt*',
            'kms:Decrypt*',
            'kms:ReEncrypt*',
            'kms:GenerateDataKey*',
            'kms:Describe*',
          ],
          resources: ['*'],
          conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArns } },
        },
      ]),
    });
    new KmsAlias(this, 'logs-key-alias', {
      name: `alias/${props.clusterNameLiteral}-container-insights`,
      targetKeyId: key.keyId,
    });
    return key;
  }
}

function validate(props: CloudwatchObservabilityProps): void {
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(props.logRetentionDays)) {
    throw new Error(
      `CloudwatchObservability logRetentionDays: ${props.logRetentionDays} not allowed; use one of ${LOG_RETENTION_DAYS.join(', ')}`,
    );
  }
  if (!Token.isUnresolved(props.region) && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region)) {
    throw new Error(
      `CloudwatchObservability region: "${props.region}" is not an AWS region such as us-east-1`,
    );
  }
}

const settingsSchema = z.strictObject({
  enabled: z.boolean(),
  /** EKS add-on version; `undefined` takes the pinned row, or EKS's default version for the minor. */
  version: z.string().optional(),
  /** Retention of the Container Insights log groups. */
  logRetentionDays: z.union(LOG_RETENTION_DAYS.map((days) => z.literal(days))),
  /** `customer-managed`: a rotating KMS key for the log groups; `aws-owned`: CloudWatch Logs' own encryption. */
  logEncryption: z.enum(['aws-owned', 'customer-managed']),
  /** Receive OTLP traces (the cart's `cart.tracing`) and forward them to X-Ray. */
  traces: z.boolean(),
});
export type CloudwatchObservabilitySettings = z.infer<typeof settingsSchema>;

/** The add-on: the EKS add-on, its identity and its log groups (AWS part only). */
export const CLOUDWATCH_OBSERVABILITY: PlatformAddon<CloudwatchObservabilitySettings> = {
  id: CLOUDWATCH_OBSERVABILITY_DEFAULTS.id,
  summary:
    'Amazon CloudWatch Observability: Container Insights (enhanced), Prometheus scraping, container logs, OTLP traces',
  settingsSchema,
  defaults: {
    enabled: true,
    version: undefined,
    logRetentionDays: 30,
    logEncryption: 'aws-owned',
    traces: false,
  },
  aws(scope, context, settings) {
    const addon = new CloudwatchObservability(scope, CLOUDWATCH_OBSERVABILITY_DEFAULTS.id, {
      cluster: context.cluster,
      clusterNameLiteral: context.clusterNameLiteral,
      region: context.region,
      version: settings.version,
      kubernetesVersion: context.kubernetesVersion,
      logRetentionDays: settings.logRetentionDays,
      customerManagedKey: settings.logEncryption === 'customer-managed',
      traces: settings.traces,
      dependsOn: context.dependsOn,
    });
    return { identity: addon.managed.identity?.outputs, installed: [addon.managed.addon] };
  },
};
