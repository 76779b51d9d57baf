/**
 * The core add-ons: the EKS add-ons every cluster gets, owned by the cluster stack. They call no AWS API of their
 * own (the VPC CNI uses the node role, as the guide), so their AWS part is the `aws_eks_addon` alone; there is no
 * cluster part. Their order around the node groups is their `phase`.
 */
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { AddonAwsContext, CoreAddon } from './addon';
import { pinnedEksAddonConfig } from './eks-managed-addon';
import type { EksAddonVersions } from './kubernetes-versions';

/** A core add-on: the EKS add-on `name` at its pinned (or configured) version. */
function eksCoreAddon(
  name: string,
  summary: string,
  phase: CoreAddon['phase'],
  versions: EksAddonVersions,
  configurationValues?: (context: AddonAwsContext) => Readonly<Record<string, unknown>> | undefined,
): CoreAddon {
  return {
    id: name,
    summary,
    phase,
    versions,
    aws(scope, context, settings) {
      const values = configurationValues?.(context);
      // `addon-<name>` at the stack's root: the Terraform address every existing cluster's state holds.
      const addon = new EksAddon(scope, `addon-${name}`, {
        ...pinnedEksAddonConfig(
          context.cluster.clusterName,
          name,
          settings.version ?? versions[context.kubernetesVersion],
        ),
        ...(values !== undefined && {
          configurationValues: JSON.stringify(values),
        }),
        dependsOn: [...context.dependsOn],
      });
      return { installed: [addon] };
    },
  };
}

export const POD_IDENTITY_AGENT = eksCoreAddon(
  'eks-pod-identity-agent',
  'EKS Pod Identity agent: hands pods the credentials of their Pod Identity association',
  // A pod scheduled before the agent runs finds no credentials endpoint.
  'before-nodes',
  { '1.32': 'v1.3.8-eksbuild.2', '1.33': 'v1.3.8-eksbuild.2', '1.34': 'v1.3.8-eksbuild.2' },
);

export const VPC_CNI = eksCoreAddon(
  'vpc-cni',
  'Amazon VPC CNI: pod networking with VPC addresses',
  // Nodes are not Ready without it.
  'before-nodes',
  { '1.32': 'v1.20.4-eksbuild.1', '1.33': 'v1.20.4-eksbuild.1', '1.34': 'v1.20.4-eksbuild.1' },
  // The network policy agent enforces NetworkPolicies (the cart namespace's default-deny and allow-list); the
  // add-on's configuration schema spells the flag as the string "true".
  () => ({ enableNetworkPolicy: 'true' }),
);

export const KUBE_PROXY = eksCoreAddon(
  'kube-proxy',
  'kube-proxy: Service virtual IPs on every node',
  'before-nodes',
  { '1.32': 'v1.32.6-eksbuild.12', '1.33': 'v1.33.3-eksbuild.10', '1.34': 'v1.34.0-eksbuild.4' },
);

export const COREDNS = eksCoreAddon(
  'coredns',
  'CoreDNS: cluster DNS',
  // A Deployment: created before any node exists, the add-on waits for capacity and times out.
  'after-nodes',
  { '1.32': 'v1.11.4-eksbuild.22', '1.33': 'v1.12.2-eksbuild.4', '1.34': 'v1.12.3-eksbuild.1' },
  // On the system nodes when there are some: DNS must not depend on the capacity Karpenter adds (the add-on's
  // configuration schema has `nodeSelector` and `tolerations`; its default tolerations include CriticalAddonsOnly).
  (context) =>
    context.systemNodes === undefined
      ? undefined
      : {
          nodeSelector: { ...context.systemNodes.nodeSelector },
          tolerations: [...context.systemNodes.tolerations],
        },
);
