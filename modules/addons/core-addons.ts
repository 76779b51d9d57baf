/**
 * The core add-ons: the EKS add-ons every cluster gets, owned by the cluster stack. They call no AWS API of their
 * own (the VPC CNI uses the node role, as the guide), so their AWS part is the `aws_eks_addon` alone; there is no
 * cluster part. Their order around the node groups is their `phase`.
 */
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { CoreAddon } from './addon';
import { pinnedEksAddonConfig } from './eks-managed-addon';
import type { EksAddonVersions } from './kubernetes-versions';

/** A core add-on: the EKS add-on `name` at its pinned (or configured) version. */
function eksCoreAddon(
  name: string,
  summary: string,
  phase: CoreAddon['phase'],
  versions: EksAddonVersions,
  configurationValues?: Readonly<Record<string, unknown>>,
): CoreAddon {
  return {
    id: name,
    summary,
    phase,
    versions,
    aws(scope, context, settings) {
      // `addon-<name>` at the stack's root: the Terraform address every existing cluster's state holds.
      const addon = new EksAddon(scope, `addon-${name}`, {
        ...pinnedEksAddonConfig(
          context.cluster.clusterName,
          name,
          settings.version ?? versions[context.kubernetesVersion],
        ),
        ...(configurationValues !== undefined && {
          configurationValues: JSON.stringify(configurationValues),
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
  // NetworkPolicies (the cart namespace's default-deny and allow-list) are enforced only with this flag. The add-on's
  // configuration schema takes it as the string "true", not a boolean: Amazon EKS User Guide, "Restrict Pod network
  // traffic with Kubernetes network policies", step "Enable the network policy parameter for the add-on"
  // (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html): configuration values
  // {"enableNetworkPolicy": "true"}; check with `aws eks describe-addon-configuration --addon-name vpc-cni
  // --addon-version <version>`. The node agent that enforces them (the aws-network-policy-agent container of the
  // aws-node DaemonSet, VPC CNI 1.14+) ships with the add-on and is on by default (`nodeAgent.enabled`); the
  // network policy controller runs in the EKS control plane. Both need VPC CNI 1.14+ and kernel 5.10+ (AL2023 nodes).
  { enableNetworkPolicy: 'true' },
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
);
