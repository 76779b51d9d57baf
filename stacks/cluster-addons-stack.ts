import type { ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import type { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import type { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type { AddonClusterResult } from '../modules/addons/addon';
import { enabledAddons, installOrder } from '../modules/addons/registry';
import { addEksKubernetesProviders } from '../modules/kubernetes-providers';
import { systemNodePlacement } from '../modules/system-nodes';
import type { AwsAddonsOutputs } from './aws-addons-stack';
import { RemoteStateStack, type EnvironmentStackProps } from './environment-stack';
import type { ClusterOutputs } from './cluster-stack';
import type { NetworkOutputs } from './network-stack';

export interface ClusterAddonsStackProps extends EnvironmentStackProps {
  /** The network stack's outputs (the Load Balancer Controller's VPC). */
  readonly network: NetworkOutputs;
  /** The cluster stack's outputs (provider connection, cluster name, region). */
  readonly cluster: ClusterOutputs;
  /** The add-ons stack's outputs (the identities the charts must run as). */
  readonly addons: AwsAddonsOutputs;
}

/**
 * The cluster side of the platform add-ons: the cluster part (Helm releases, Kubernetes objects) of every enabled
 * add-on of the registry (modules/addons/registry.ts). Helm and Kubernetes providers only (exec auth with
 * `aws eks get-token`); the AWS identities live in the add-ons stack, deployed before this one.
 *
 * Ordering within the stack: the add-ons that provide admission webhooks (the Load Balancer Controller) are
 * installed first and wait until ready; the others receive their releases as `webhooks` and make whatever
 * creates Pods or Services depend on them, because those webhooks reject objects while they have no ready endpoint.
 */
export class ClusterAddonsStack extends RemoteStateStack {
  public readonly kubernetesProvider: KubernetesProvider;
  public readonly helmProvider: HelmProvider;
  /** What each add-on's cluster part installed, by add-on id. */
  public readonly installed: Readonly<Record<string, AddonClusterResult>>;

  constructor(scope: Construct, id: string, props: ClusterAddonsStackProps) {
    super(scope, id, props);
    const providers = addEksKubernetesProviders(this, props.cluster);
    this.kubernetesProvider = providers.kubernetes;
    this.helmProvider = providers.helm;

    const installed: Record<string, AddonClusterResult> = {};
    const webhooks: ITerraformDependable[] = [];
    const systemNodes = systemNodePlacement(props.config.nodeGroups, props.config.addons.karpenter.enabled);
    for (const { addon, settings } of installOrder(enabledAddons(props.config.addons))) {
      const result = addon.cluster?.(
        this,
        {
          clusterName: props.cluster.clusterName,
          region: props.cluster.region,
          vpcId: props.network.vpcId,
          identity: props.addons.identities[addon.id],
          exports: props.addons.exports[addon.id],
          webhooks: addon.providesWebhooks === true ? [] : [...webhooks],
          systemNodes,
        },
        settings,
      );
      if (result === undefined) continue;
      installed[addon.id] = result;
      if (addon.providesWebhooks === true) webhooks.push(...result.installed);
    }
    this.installed = installed;
  }
}
