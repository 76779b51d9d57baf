import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { KARPENTER_DISCOVERY_TAG } from './karpenter-aws';

/** Karpenter's capacity types. */
export const CAPACITY_TYPES = ['spot', 'on-demand'] as const;
export type CapacityType = (typeof CAPACITY_TYPES)[number];

/** A NodePool's settings. */
export interface NodePoolSpec {
  /** Object name (a DNS label). */
  readonly name: string;
  /** Capacity types it may launch; with both, Karpenter picks spot and falls back to on-demand. */
  readonly capacityTypes: readonly CapacityType[];
  /** EC2 instance categories (`c`, `m`, `r`…). */
  readonly instanceCategories: readonly string[];
  /** Most CPU all its nodes together may have (a Kubernetes quantity, e.g. `16`). */
  readonly cpuLimit: string;
  /** Most memory all its nodes together may have (e.g. `64Gi`). */
  readonly memoryLimit: string;
  /** How long a node stays empty or underutilized before consolidation (e.g. `1m`). */
  readonly consolidateAfter: string;
  /** Share or count of nodes disrupted at once (the disruption budget, e.g. `10%`). */
  readonly disruptionBudget: string;
}

export interface KarpenterNodePoolsProps {
  /** The cluster's name: the discovery tag value of its subnets and node security group. */
  readonly clusterName: string;
  /** The node role's name (Karpenter creates the instance profile). */
  readonly nodeRoleName: string;
  /** AMI alias, e.g. `al2023@latest` (pin `al2023@v<date>` to control node image updates). */
  readonly amiAlias: string;
  /** Root volume size (e.g. `20Gi`). */
  readonly rootVolumeSize: string;
  /** Tags on every instance, volume and network interface Karpenter launches. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** The pools. */
  readonly pools: readonly NodePoolSpec[];
  /** The Karpenter release: its CRDs must exist first, and on destroy the pools go before it. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/** The EC2NodeClass every pool uses. */
export const NODE_CLASS_NAME = 'default';

/**
 * An EC2NodeClass (AL2023, IMDSv2 with hop limit 1, encrypted gp3 root volume, subnets and security groups found by
 * the discovery tag) and the NodePools on it, as `kubernetes_manifest`s that depend on the Karpenter release: they
 * are created after its CRDs, and destroyed before it, so Karpenter still runs to terminate its nodes.
 */
export class KarpenterNodePools extends Construct {
  public readonly nodeClass: Manifest;
  public readonly nodePools: readonly Manifest[];

  constructor(scope: Construct, id: string, props: KarpenterNodePoolsProps) {
    super(scope, id);
    validatePools(props.pools);
    this.nodeClass = new Manifest(this, 'node-class', {
      manifest: ec2NodeClassManifest(props),
      dependsOn: [...props.dependsOn],
    });
    this.nodePools = props.pools.map(
      (pool) =>
        new Manifest(this, `node-pool-${pool.name}`, {
          manifest: nodePoolManifest(pool),
          dependsOn: [...props.dependsOn, this.nodeClass],
        }),
    );
  }
}

/** The EC2NodeClass object. */
export function ec2NodeClassManifest(props: KarpenterNodePoolsProps): Record<string, unknown> {
  const discovery = [{ tags: { [KARPENTER_DISCOVERY_TAG]: props.clusterName } }];
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: NODE_CLASS_NAME },
    spec: {
      role: props.nodeRoleName,
      amiSelectorTerms: [{ alias: props.amiAlias }],
      subnetSelectorTerms: discovery,
      securityGroupSelectorTerms: discovery,
      // No pod may reach the node's credentials: IMDSv2 only, one hop.
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpProtocolIPv6: 'disabled',
        httpPutResponseHopLimit: 1,
        httpTokens: 'required',
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: props.rootVolumeSize,
            volumeType: 'gp3',
            encrypted: true,
            deleteOnTermination: true,
          },
        },
      ],
      tags: { ...props.tags },
    },
  };
}

/** A NodePool object. */
export function nodePoolManifest(pool: NodePoolSpec): Record<string, unknown> {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: pool.name },
    spec: {
      template: {
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: NODE_CLASS_NAME },
          requirements: [
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: [...pool.capacityTypes] },
            { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
            {
              key: 'karpenter.k8s.aws/instance-category',
              operator: 'In',
              values: [...pool.instanceCategories],
            },
            // Nitro generations only (current networking and EBS performance).
            { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['4'] },
          ],
          expireAfter: '720h',
        },
      },
      limits: { cpu: pool.cpuLimit, memory: pool.memoryLimit },
      disruption: {
        consolidationPolicy: 'WhenEmptyOrUnderutilized',
        consolidateAfter: pool.consolidateAfter,
        budgets: [{ nodes: pool.disruptionBudget }],
      },
    },
  };
}

function validatePools(pools: readonly NodePoolSpec[]): void {
  if (pools.length === 0) throw new Error('KarpenterNodePools pools: [] must name at least one NodePool');
  for (const pool of pools) {
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(pool.name)) {
      throw new Error(`KarpenterNodePools pools[].name: "${pool.name}" must be a DNS label`);
    }
    if (pool.capacityTypes.length === 0) {
      throw new Error(
        `KarpenterNodePools pools[${pool.name}].capacityTypes: [] must allow spot and/or on-demand`,
      );
    }
  }
}
