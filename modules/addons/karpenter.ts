import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { z } from 'zod';
import { requireIdentity, type HelmChartRef, type PlatformAddon } from './addon';
import { HelmChart } from './helm-chart';
import { KarpenterAws } from './karpenter-aws';
import { CAPACITY_TYPES, KarpenterNodePools } from './karpenter-node-pools';
import { CRITICAL_ADDONS_TOLERATION, type SystemNodePlacement } from '../system-nodes';

/** The chart, where the controller runs and as whom; the Pod Identity association names the same service account. */
export const KARPENTER_DEFAULTS = {
  id: 'karpenter',
  releaseName: 'karpenter',
  chart: { chart: 'karpenter', repository: 'oci://public.ecr.aws/karpenter', version: '1.14.1' },
  namespace: 'kube-system',
  serviceAccount: 'karpenter',
} as const;

/** The NodePool the add-on creates for general workloads (the cart's pods among them). */
export const GENERAL_NODE_POOL = 'general';

/** Karpenter's metrics endpoint (chart default `controller.metrics.port`), annotated for Prometheus scrapers. */
export const KARPENTER_METRICS = { port: 8080, path: '/metrics' } as const;

/** The keys of the AWS part's exports the cluster part reads. */
const EXPORTS = { queueName: 'interruptionQueue', nodeRoleName: 'nodeRoleName' } as const;

const quantity = z
  .string()
  .regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/, 'must be a Kubernetes quantity such as 16 or 64Gi');
const settingsSchema = z.strictObject({
  enabled: z.boolean(),
  /** Exact chart version. */
  chartVersion: z.string(),
  /** Controller replicas (leader election; two keep it running through a system node's drain). */
  replicas: z.number().int().min(1).max(3),
  /** Capacity types of the general pool: both = spot first, on-demand when spot has none. */
  capacityTypes: z.array(z.enum(CAPACITY_TYPES)).min(1),
  /** EC2 instance categories of the general pool. */
  instanceCategories: z.array(z.string().regex(/^[a-z]+$/)).min(1),
  /** The general pool's CPU limit (all its nodes together). */
  cpuLimit: quantity,
  /** The general pool's memory limit. */
  memoryLimit: quantity,
  /** AMI alias of the EC2NodeClass (`al2023@latest` or a pinned `al2023@v<date>`). */
  amiAlias: z.string().regex(/^al2023@(latest|v\d{8})$/, 'must be al2023@latest or al2023@vYYYYMMDD'),
  /** Root volume size of Karpenter's nodes. */
  rootVolumeSize: z.string().regex(/^\d+Gi$/, 'must be a size in Gi such as 20Gi'),
});
export type KarpenterSettings = z.infer<typeof settingsSchema>;

/** The controller's chart values. */
export function karpenterValues(props: {
  clusterName: string;
  queueName: string;
  serviceAccount: string;
  replicas: number;
  /** The system node group; without one, anywhere but Karpenter's own nodes. */
  systemNodes?: SystemNodePlacement;
}): Record<string, unknown> {
  const systemNodes = Object.entries(props.systemNodes?.nodeSelector ?? {}).map(([key, value]) => ({
    key,
    operator: 'In',
    values: [value],
  }));
  return {
    settings: { clusterName: props.clusterName, interruptionQueue: props.queueName },
    serviceAccount: { create: true, name: props.serviceAccount },
    replicas: props.replicas,
    // The CloudWatch agent scrapes annotated pods: the NodePool usage and limit metrics reach CloudWatch.
    podAnnotations: {
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(KARPENTER_METRICS.port),
      'prometheus.io/path': KARPENTER_METRICS.path,
    },
    controller: { resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } } },
    tolerations: [...(props.systemNodes?.tolerations ?? [CRITICAL_ADDONS_TOLERATION])],
    // Never on a node Karpenter manages (the chart's own rule), and on the system node group.
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [{ key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' }, ...systemNodes],
            },
          ],
        },
      },
    },
  };
}

/**
 * The add-on: Karpenter's node role, access entry, interruption queue and controller identity (AWS part); the
 * chart, the EC2NodeClass and the general NodePool (cluster part). The pools depend on the release, so a destroy
 * removes them first and Karpenter terminates its nodes while its role and queue still exist.
 */
export const KARPENTER: PlatformAddon<KarpenterSettings> = {
  id: KARPENTER_DEFAULTS.id,
  summary: 'Karpenter: launches and consolidates nodes for pending pods, spot with on-demand fallback',
  settingsSchema,
  defaults: {
    enabled: true,
    chartVersion: KARPENTER_DEFAULTS.chart.version,
    replicas: 2,
    capacityTypes: ['spot', 'on-demand'],
    instanceCategories: ['c', 'm', 'r'],
    cpuLimit: '16',
    memoryLimit: '64Gi',
    amiAlias: 'al2023@latest',
    rootVolumeSize: '20Gi',
  },
  aws(scope, context) {
    const d = KARPENTER_DEFAULTS;
    const aws = new KarpenterAws(scope, d.id, {
      cluster: context.cluster,
      clusterNameLiteral: context.clusterNameLiteral,
      namespace: d.namespace,
      serviceAccount: d.serviceAccount,
      nodeSecurityGroupId: context.nodeSecurityGroupId,
    });
    new TerraformOutput(scope, 'karpenter-interruption-queue', { value: aws.interruption.queue.name });
    const association = aws.controller.identity.association;
    return {
      identity: aws.controller.outputs,
      exports: {
        [EXPORTS.queueName]: aws.interruption.queue.name,
        [EXPORTS.nodeRoleName]: aws.nodeRole.role.name,
      },
      installed: [
        ...(association !== undefined ? [association] : []),
        aws.accessEntry,
        aws.interruption.policy,
        ...aws.interruption.targets,
      ],
    };
  },
  cluster(scope, context, settings) {
    const identity = requireIdentity(context, KARPENTER_DEFAULTS.id);
    const exported = (key: string): string => {
      const value = context.exports?.[key];
      if (value === undefined) throw new Error(`karpenter: the addons stack's outputs have no "${key}"`);
      return value;
    };
    const chart: HelmChartRef = { ...KARPENTER_DEFAULTS.chart, version: settings.chartVersion };
    // One construct for both, so every address of the add-on starts with its id.
    const root = new Construct(scope, KARPENTER_DEFAULTS.id);
    const helm = new HelmChart(root, 'chart', {
      releaseName: KARPENTER_DEFAULTS.releaseName,
      chart,
      namespace: identity.namespace,
      values: karpenterValues({
        clusterName: context.clusterName,
        queueName: exported(EXPORTS.queueName),
        serviceAccount: identity.serviceAccount,
        replicas: settings.replicas,
        systemNodes: context.systemNodes,
      }),
      wait: true,
      dependsOn: context.webhooks,
    });
    const pools = new KarpenterNodePools(root, 'capacity', {
      clusterName: context.clusterName,
      nodeRoleName: exported(EXPORTS.nodeRoleName),
      amiAlias: settings.amiAlias,
      rootVolumeSize: settings.rootVolumeSize,
      tags: { 'karpenter.sh/discovery': context.clusterName },
      pools: [
        {
          name: GENERAL_NODE_POOL,
          capacityTypes: settings.capacityTypes,
          instanceCategories: settings.instanceCategories,
          cpuLimit: settings.cpuLimit,
          memoryLimit: settings.memoryLimit,
          consolidateAfter: '1m',
          disruptionBudget: '10%',
        },
      ],
      dependsOn: [helm.release],
    });
    return { installed: [helm.release, pools.nodeClass, ...pools.nodePools] };
  },
};
