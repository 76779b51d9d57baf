import type { ITerraformDependable } from 'cdktf';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import type { AddonAwsContext, AddonAwsResult, CoreAddon } from '../modules/addons/addon';
import { CORE_ADDONS } from '../modules/addons/registry';
import { EksCluster } from '../modules/eks-cluster';
import { EksClusterAccess } from '../modules/eks-cluster-access';
import { EksNodeRole } from '../modules/eks-node-role';
import type { EksConnection } from '../modules/kubernetes-providers';
import { FargateProfile } from '../modules/fargate-profile';
import { ManagedNodeGroup } from '../modules/managed-node-group';
import { effectiveScheduling, systemNodePlacement } from '../modules/system-nodes';
import type { OidcProviderRef } from '../modules/workload-identity';
import { AwsStack, type EnvironmentStackProps } from './environment-stack';
import type { NetworkOutputs } from './network-stack';

export interface ClusterStackProps extends EnvironmentStackProps {
  /** The network stack's outputs. */
  readonly network: NetworkOutputs;
}

/** What the add-on, platform and cart stacks need from the cluster (cross-stack references). */
export interface ClusterOutputs extends EksConnection {
  readonly clusterArn: string;
  /** The security group EKS created for the control plane and nodes. */
  readonly clusterSecurityGroupId: string;
  readonly oidcProvider: OidcProviderRef;
  /** The issuer URL, with `https://`. */
  readonly oidcIssuerUrl: string;
  readonly nodeRoleArn: string;
  readonly accountId: string;
  readonly partition: string;
  readonly kmsKeyArn: string;
}

/** The EKS cluster, its node groups and the core EKS add-ons. */
export class ClusterStack extends AwsStack {
  public readonly eks: EksCluster;
  /** Access entries of the configured admins and the CI deployer. */
  public readonly access: EksClusterAccess;
  public readonly nodeRole: EksNodeRole;
  public readonly nodeGroups: readonly ManagedNodeGroup[];
  /** The Fargate profile, when `cluster.fargate.enabled`. */
  public readonly fargate?: FargateProfile;
  /** What each core add-on installed, by id (modules/addons/core-addons.ts). */
  public readonly coreAddons: Readonly<Record<string, AddonAwsResult>>;
  public readonly outputs: ClusterOutputs;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id, props);
    const { cluster: settings, nodeGroups } = props.config;
    // With Karpenter, the system group is reserved for the cluster-critical add-ons (modules/system-nodes.ts).
    const karpenter = props.config.addons.karpenter.enabled;
    const partition = new DataAwsPartition(this, 'partition').partition;
    const accountId = new DataAwsCallerIdentity(this, 'caller').accountId;

    this.eks = new EksCluster(this, 'eks', {
      name: settings.name,
      kubernetesVersion: settings.kubernetesVersion,
      subnetIds: props.network.privateSubnetIds,
      partition,
      endpointPublicAccess: settings.endpointPublicAccess,
      publicAccessCidrs: settings.publicAccessCidrs,
      logRetentionDays: settings.logRetentionDays,
      deletionProtection: settings.deletionProtection,
      creatorAdmin: props.config.access.creatorAdmin,
      upgradePolicy: settings.upgradePolicy,
    });
    const clusterName = this.eks.cluster.name;
    const { admins, deployer } = props.config.access;
    this.access = new EksClusterAccess(this, 'access', { clusterName, partition, admins, deployer });
    const coreAddonContext = (dependsOn: readonly ITerraformDependable[]): AddonAwsContext => ({
      cluster: { clusterName, clusterArn: this.eks.cluster.arn, accountId, partition },
      clusterNameLiteral: settings.name,
      kubernetesVersion: settings.kubernetesVersion,
      region: props.config.region,
      dependsOn,
      systemNodes: systemNodePlacement(nodeGroups, karpenter),
    });

    // Networking and the Pod Identity agent come before compute: nodes are not Ready without the CNI, and a pod
    // scheduled before the agent runs would find no credentials endpoint.
    const beforeNodes = this.installCoreAddons('before-nodes', coreAddonContext([]));
    this.nodeRole = new EksNodeRole(this, 'node-role', { name: `${settings.name}-node`, partition });
    this.nodeGroups = this.addNodeGroups(props, clusterName, karpenter, beforeNodes);
    const afterNodes = this.installCoreAddons(
      'after-nodes',
      coreAddonContext(this.nodeGroups.map((g) => g.nodeGroup)),
    );
    this.coreAddons = { ...beforeNodes, ...afterNodes };
    this.fargate = this.addFargateProfile(props, clusterName, partition, accountId);

    this.outputs = {
      clusterName,
      clusterArn: this.eks.cluster.arn,
      endpoint: this.eks.cluster.endpoint,
      certificateAuthorityData: this.eks.cluster.certificateAuthority.get(0).data,
      region: props.config.region,
      clusterSecurityGroupId: this.eks.cluster.vpcConfig.clusterSecurityGroupId,
      oidcProvider: { arn: this.eks.oidcProvider.arn, issuer: this.eks.oidcIssuer },
      oidcIssuerUrl: this.eks.oidcProvider.url,
      nodeRoleArn: this.nodeRole.role.arn,
      accountId,
      partition,
      kmsKeyArn: this.eks.secretsKey.arn,
    };
    this.addUserOutputs();
  }

  /** The managed node groups, after the node role and the before-nodes add-ons (CNI, Pod Identity agent). */
  private addNodeGroups(
    props: ClusterStackProps,
    clusterName: string,
    karpenter: boolean,
    beforeNodes: Readonly<Record<string, AddonAwsResult>>,
  ): ManagedNodeGroup[] {
    return props.config.nodeGroups.map(
      (group) =>
        new ManagedNodeGroup(this, `node-group-${group.name}`, {
          clusterName,
          name: group.name,
          nodeRoleArn: this.nodeRole.role.arn,
          subnetIds: props.network.privateSubnetIds,
          instanceTypes: group.instanceTypes,
          capacityType: group.capacityType,
          amiType: group.amiType,
          desiredSize: group.desiredSize,
          minSize: group.minSize,
          maxSize: group.maxSize,
          diskSizeGiB: group.diskSizeGiB,
          maxUnavailable: group.maxUnavailable,
          ...effectiveScheduling(group, karpenter),
          dependsOn: [
            ...this.nodeRole.attachments,
            ...Object.values(beforeNodes).flatMap((a) => a.installed),
          ],
        }),
    );
  }

  /** The optional Fargate profile (config `cluster.fargate`), on the private subnets. */
  private addFargateProfile(
    props: ClusterStackProps,
    clusterName: string,
    partition: string,
    accountId: string,
  ): FargateProfile | undefined {
    const { name, fargate } = props.config.cluster;
    if (!fargate.enabled) return undefined;
    return new FargateProfile(this, 'fargate', {
      clusterName,
      clusterNameLiteral: name,
      name: fargate.namespace,
      namespace: fargate.namespace,
      labels: fargate.labels,
      subnetIds: props.network.privateSubnetIds,
      partition,
      region: props.config.region,
      accountId,
    });
  }

  /** The core add-ons of one phase, in registry order, at their pinned or configured versions. */
  private installCoreAddons(
    phase: CoreAddon['phase'],
    context: AddonAwsContext,
  ): Record<string, AddonAwsResult> {
    const versions: Readonly<Record<string, string | undefined>> = this.config.cluster.coreAddonVersions;
    const installed: Record<string, AddonAwsResult> = {};
    for (const addon of CORE_ADDONS.filter((a) => a.phase === phase)) {
      installed[addon.id] = addon.aws(this, context, { version: versions[addon.id] });
    }
    return installed;
  }

  /** The outputs a user reads after `deploy` (kubeconfig command, endpoint, OIDC provider…). */
  private addUserOutputs(): void {
    const { outputs, config } = this;
    new TerraformOutput(this, 'cluster-name', { value: outputs.clusterName });
    new TerraformOutput(this, 'cluster-endpoint', { value: outputs.endpoint });
    new TerraformOutput(this, 'cluster-certificate-authority-data', {
      value: outputs.certificateAuthorityData,
    });
    new TerraformOutput(this, 'oidc-provider-arn', { value: outputs.oidcProvider.arn });
    new TerraformOutput(this, 'oidc-issuer-url', { value: outputs.oidcIssuerUrl });
    new TerraformOutput(this, 'cluster-security-group-id', { value: outputs.clusterSecurityGroupId });
    new TerraformOutput(this, 'node-role-arn', { value: outputs.nodeRoleArn });
    new TerraformOutput(this, 'kubeconfig-command', {
      value: `aws eks update-kubeconfig --region ${config.region} --name ${config.cluster.name}`,
    });
  }
}
