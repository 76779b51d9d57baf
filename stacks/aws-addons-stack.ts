import type { Construct } from 'constructs';
import type { AddonAwsContext, AddonAwsResult, AddonIdentityOutputs } from '../modules/addons/addon';
import { enabledAddons } from '../modules/addons/registry';
import { systemNodePlacement } from '../modules/system-nodes';
import { AwsStack, type EnvironmentStackProps } from './environment-stack';
import type { ClusterOutputs } from './cluster-stack';
import type { NetworkOutputs } from './network-stack';

export interface AwsAddonsStackProps extends EnvironmentStackProps {
  /** The network stack's outputs. */
  readonly network: NetworkOutputs;
  /** The cluster stack's outputs. */
  readonly cluster: ClusterOutputs;
}

/** What the platform stack needs from the add-ons stack. */
export interface AwsAddonsOutputs {
  /** The AWS identity of each installed add-on that has one, by add-on id (its cluster part runs as it). */
  readonly identities: Readonly<Record<string, AddonIdentityOutputs>>;
  /** The other values each add-on's AWS part hands its cluster part, by add-on id. */
  readonly exports: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * The AWS side of the platform add-ons: the AWS part of every enabled add-on of the registry
 * (modules/addons/registry.ts) — EKS add-ons, and the Pod Identity roles and associations of every add-on that
 * calls AWS (including the Helm-installed Load Balancer Controller, whose chart the platform stack installs). AWS
 * resources only, so this stack validates and applies against the offline provider and the emulator.
 *
 * Ordering: every reference to the cluster stack's outputs puts this stack after it (node groups, the Pod Identity
 * agent and the CNI exist before any add-on); within the stack each EKS add-on depends on its association.
 */
export class AwsAddonsStack extends AwsStack {
  /** What each add-on's AWS part installed, by add-on id (enabled add-ons with something to install only). */
  public readonly installed: Readonly<Record<string, AddonAwsResult>>;
  public readonly outputs: AwsAddonsOutputs;

  constructor(scope: Construct, id: string, props: AwsAddonsStackProps) {
    super(scope, id, props);
    const { cluster } = props;
    const context: AddonAwsContext = {
      cluster: {
        clusterName: cluster.clusterName,
        clusterArn: cluster.clusterArn,
        accountId: cluster.accountId,
        partition: cluster.partition,
      },
      // Role names from the configured (plain) cluster name: readable, and checked for IAM's 64 characters at synth.
      clusterNameLiteral: props.config.cluster.name,
      kubernetesVersion: props.config.cluster.kubernetesVersion,
      region: props.config.region,
      dependsOn: [],
      nodeSecurityGroupId: cluster.clusterSecurityGroupId,
      systemNodes: systemNodePlacement(props.config.nodeGroups, props.config.addons.karpenter.enabled),
    };
    const installed: Record<string, AddonAwsResult> = {};
    const identities: Record<string, AddonIdentityOutputs> = {};
    const exports: Record<string, Readonly<Record<string, string>>> = {};
    for (const { addon, settings } of enabledAddons(props.config.addons)) {
      const result = addon.aws?.(this, context, settings);
      if (result === undefined) continue;
      installed[addon.id] = result;
      if (result.identity !== undefined) identities[addon.id] = result.identity;
      if (result.exports !== undefined) exports[addon.id] = result.exports;
    }
    this.installed = installed;
    this.outputs = { identities, exports };
  }
}
