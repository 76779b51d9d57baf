import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';

export const CAPACITY_TYPES = ['ON_DEMAND', 'SPOT'] as const;
export const TAINT_EFFECTS = ['NO_SCHEDULE', 'NO_EXECUTE', 'PREFER_NO_SCHEDULE'] as const;

export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: (typeof TAINT_EFFECTS)[number];
}

export interface ManagedNodeGroupProps {
  /** The cluster's name (a token from the cluster resource, so the group waits for the cluster). */
  readonly clusterName: string;
  /** Node group name. */
  readonly name: string;
  /** The node IAM role's ARN. */
  readonly nodeRoleArn: string;
  /** Subnets the nodes run in (the private subnets). */
  readonly subnetIds: string[];
  /** EC2 instance types, first preferred. */
  readonly instanceTypes: string[];
  readonly desiredSize: number;
  readonly minSize: number;
  readonly maxSize: number;
  /**
   * @default 'ON_DEMAND'
   */
  readonly capacityType?: (typeof CAPACITY_TYPES)[number];
  /**
   * EKS-optimized AMI family.
   * @default 'AL2023_x86_64_STANDARD'
   */
  readonly amiType?: string;
  /**
   * Root volume size (gp3, encrypted).
   * @default 20
   */
  readonly diskSizeGiB?: number;
  /**
   * Nodes a rolling update may replace at once.
   * @default 1
   */
  readonly maxUnavailable?: number;
  /** Kubernetes node labels. @default {} */
  readonly labels?: Record<string, string>;
  /** Kubernetes node taints. @default [] */
  readonly taints?: readonly NodeTaint[];
  /**
   * IMDS hop limit. 1 keeps pods (one hop further away) from reaching the instance metadata service, so a pod
   * without its own identity fails loudly instead of silently acting as the node role.
   * @default 1
   */
  readonly metadataHopLimit?: number;
  /**
   * IMDS token mode. `required` is IMDSv2 only.
   * @default 'required'
   */
  readonly metadataTokens?: 'required' | 'optional';
  /** Resources to create first (the node role's policy attachments, add-ons nodes need to become Ready). */
  readonly dependsOn?: ITerraformDependable[];
}

/** A managed node group on a launch template that enforces IMDSv2 with hop limit 1 and encrypted gp3 disks. */
export class ManagedNodeGroup extends Construct {
  public readonly launchTemplate: LaunchTemplate;
  public readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const hopLimit = props.metadataHopLimit ?? 1;
    validate(props, hopLimit);

    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      namePrefix: `${props.name}-`,
      description: `EKS managed node group ${props.name}: IMDSv2 only, hop limit ${hopLimit}`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: props.metadataTokens ?? 'required',
        httpPutResponseHopLimit: hopLimit,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: props.diskSizeGiB ?? 20,
            volumeType: 'gp3',
            encrypted: 'true',
            deleteOnTermination: 'true',
          },
        },
      ],
      tagSpecifications: [
        { resourceType: 'instance', tags: { Name: `${props.name}-node` } },
        { resourceType: 'volume', tags: { Name: `${props.name}-node` } },
      ],
    });

    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.clusterName,
      nodeGroupName: props.name,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      instanceTypes: props.instanceTypes,
      capacityType: props.capacityType ?? 'ON_DEMAND',
      amiType: props.amiType ?? 'AL2023_x86_64_STANDARD',
      scalingConfig: { desiredSize: props.desiredSize, minSize: props.minSize, maxSize: props.maxSize },
      updateConfig: { maxUnavailable: props.maxUnavailable ?? 1 },
      labels: props.labels ?? {},
      taint: (props.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      launchTemplate: {
        id: this.launchTemplate.id,
        version: Token.asString(this.launchTemplate.latestVersion),
      },
      dependsOn: props.dependsOn,
      // The cluster autoscaler (or a person) changes the desired size; Terraform must not reset it on every apply.
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
    });
  }
}

function validate(props: ManagedNodeGroupProps, hopLimit: number): void {
  if (!(props.minSize <= props.desiredSize && props.desiredSize <= props.maxSize)) {
    throw new Error(
      `ManagedNodeGroup ${props.name}: sizes must satisfy minSize (${props.minSize}) <= desiredSize (${props.desiredSize}) <= maxSize (${props.maxSize})`,
    );
  }
  if (props.instanceTypes.length === 0) {
    throw new Error(
      `ManagedNodeGroup ${props.name} instanceTypes: give at least one instance type, e.g. ["t3.medium"]`,
    );
  }
  if (!Number.isInteger(hopLimit) || hopLimit < 1 || hopLimit > 64) {
    throw new Error(
      `ManagedNodeGroup ${props.name} metadataHopLimit: ${hopLimit} must be an integer from 1 to 64`,
    );
  }
  if (
    props.capacityType !== undefined &&
    !(CAPACITY_TYPES as readonly string[]).includes(props.capacityType)
  ) {
    throw new Error(
      `ManagedNodeGroup ${props.name} capacityType: "${props.capacityType}" not allowed; use ${CAPACITY_TYPES.join(' or ')}`,
    );
  }
}
