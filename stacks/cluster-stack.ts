import type { ITerraformDependable } from 'cdktf';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '../modules/eks-cluster';
import { EksNodeRole } from '../modules/eks-node-role';
import type { EksConnection } from '../modules/kubernetes-providers';
import { ManagedNodeGroup } from '../modules/managed-node-group';
import type { OidcProviderRef } from '../modules/workload-identity';
import { CORE_ADDON_VERSIONS, type CoreAddonVersions } from './addon-versions';
import { AwsPlatformStack, type PlatformStackProps } from './aws-platform-stack';
import type { NetworkOutputs } from './network-stack';

export interface ClusterStackProps extends PlatformStackProps {
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
export class ClusterStack extends AwsPlatformStack {
  public readonly eks: EksCluster;
  public readonly nodeRole: EksNodeRole;
  public readonly nodeGroups: readonly ManagedNodeGroup[];
  public readonly coreAddons: Readonly<Record<keyof CoreAddonVersions, EksAddon>>;
  public readonly outputs: ClusterOutputs;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id, props);
    const { cluster: settings, nodeGroups } = props.config;
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
    });
    const clusterName = this.eks.cluster.name;
    const versions = { ...CORE_ADDON_VERSIONS[settings.kubernetesVersion], ...settings.coreAddonVersions };
    const addon = (name: keyof CoreAddonVersions, dependsOn: ITerraformDependable[] = []) =>
      new EksAddon(this, `addon-${name}`, {
        clusterName,
        addonName: name,
        addonVersion: versions[name],
        resolveConflictsOnCreate: 'OVERWRITE',
        // Keep changes an operator made through the add-on's configuration on upgrades.
        resolveConflictsOnUpdate: 'PRESERVE',
        dependsOn,
      });

    // Networking and the Pod Identity agent come before compute: nodes are not Ready without the CNI, and a pod
    // scheduled before the agent runs would find no credentials endpoint.
    const podIdentityAgent = addon('eks-pod-identity-agent');
    const vpcCni = addon('vpc-cni');
    const kubeProxy = addon('kube-proxy');

    this.nodeRole = new EksNodeRole(this, 'node-role', { name: `${settings.name}-node`, partition });
    this.nodeGroups = nodeGroups.map(
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
          labels: group.labels,
          taints: group.taints,
          dependsOn: [...this.nodeRole.attachments, podIdentityAgent, vpcCni, kubeProxy],
        }),
    );
    // CoreDNS is a Deployment: created before any node exists, the add-on waits for capacity and times out.
    const coredns = addon(
      'coredns',
      this.nodeGroups.map((g) => g.nodeGroup),
    );
    this.coreAddons = {
      'eks-pod-identity-agent': podIdentityAgent,
      'vpc-cni': vpcCni,
      'kube-proxy': kubeProxy,
      coredns,
    };

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
    new TerraformOutput(this, 'cluster-name', { value: this.outputs.clusterName });
    new TerraformOutput(this, 'cluster-endpoint', { value: this.outputs.endpoint });
    new TerraformOutput(this, 'cluster-certificate-authority-data', {
      value: this.outputs.certificateAuthorityData,
    });
    new TerraformOutput(this, 'oidc-provider-arn', { value: this.outputs.oidcProvider.arn });
    new TerraformOutput(this, 'oidc-issuer-url', { value: this.outputs.oidcIssuerUrl });
    new TerraformOutput(this, 'cluster-security-group-id', { value: this.outputs.clusterSecurityGroupId });
    new TerraformOutput(this, 'node-role-arn', { value: this.outputs.nodeRoleArn });
    new TerraformOutput(this, 'kubeconfig-command', {
      value: `aws eks update-kubeconfig --region ${props.config.region} --name ${settings.name}`,
    });
  }
}
