/**
 * The core add-ons: the EKS add-ons every cluster gets, owned by the cluster stack. They call no AWS API of their
 * own (the VPC CNI uses the node role, as the guide), so their AWS part is the `aws_eks_addon` alone; there is no
 * cluster part. Their order around the node groups is their `phase`.
 */
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { AddonAwsContext, CoreAddon } from './addon';
import { eksAddonVersion, pinnedEksAddonConfig } from './eks-managed-addon';
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
      const version = eksAddonVersion(scope, `addon-${name}-version`, {
        addonName: name,
        version: settings.version ?? versions[context.kubernetesVersion],
        kubernetesVersion: context.kubernetesVersion,
      });
      // `addon-<name>` at the stack's root: the Terraform address every existing cluster's state holds.
      const addon = new EksAddon(scope, `addon-${name}`, {
        ...pinnedEksAddonConfig(context.cluster.clusterName, name, version),
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
  {
    // The build the platform ran on 1.32-1.34 (the agent's builds are not per minor).
    '1.34': 'v1.3.8-eksbuild.2',
    // No AWS docs table lists agent builds per minor. v1.3.10-eksbuild.2 is the build public EKS 1.35 add-on maps
    // pin for KubernetesVersion.V1_35 (aws-cdk-lib/aws-eks-v2 blueprints), one build for 1.31-1.35.
    '1.35': 'v1.3.10-eksbuild.2',
  },
);

export const VPC_CNI = eksCoreAddon(
  'vpc-cni',
  'Amazon VPC CNI: pod networking with VPC addresses',
  // Nodes are not Ready without it.
  'before-nodes',
  {
    // The "Amazon VPC CNI versions" table ("Assign IPs to Pods with the Amazon VPC CNI",
    // https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html) lists one build for every minor;
    // v1.20.4-eksbuild.1 is the build the platform ran on 1.32-1.34.
    '1.34': 'v1.20.4-eksbuild.1',
    // The table reachable here stops before 1.35; v1.21.1-eksbuild.3 is the build public EKS 1.35 configurations
    // pin ("EKS 1.35-compatible versions: vpc-cni v1.21.1-eksbuild.3"), released 2026-02.
    '1.35': 'v1.21.1-eksbuild.3',
  },
  // NetworkPolicies (the cart namespace's default-deny and allow-list) are enforced only with this flag. The add-on's
  // configuration schema takes it as the string "true", not a boolean: Amazon EKS User Guide, "Restrict Pod network
  // traffic with Kubernetes network policies", step "Enable the network policy parameter for the add-on"
  // (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html): configuration values
  // {"enableNetworkPolicy": "true"}; check with `aws eks describe-addon-configuration --addon-name vpc-cni
  // --addon-version <version>`. The node agent that enforces them (the aws-network-policy-agent container of the
  // aws-node DaemonSet, VPC CNI 1.14+) ships with the add-on and is on by default (`nodeAgent.enabled`); the
  // network policy controller runs in the EKS control plane. Both need VPC CNI 1.14+ and kernel 5.10+ (AL2023 nodes).
  () => ({ enableNetworkPolicy: 'true' }),
);

export const KUBE_PROXY = eksCoreAddon(
  'kube-proxy',
  'kube-proxy: Service virtual IPs on every node',
  'before-nodes',
  {
    // "kube-proxy versions" table, "Manage kube-proxy in Amazon EKS clusters",
    // https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html: "1.34 | v1.34.1-eksbuild.2".
    '1.34': 'v1.34.1-eksbuild.2',
    // That table has no 1.35 row reachable here. EKS Distro ships kube-proxy v1.35.0 for 1.35
    // (https://distro.eks.amazonaws.com/releases/1-35/5/); v1.35.0-eksbuild.2 is the add-on build public EKS 1.35
    // add-on maps and configurations pin (KubernetesVersion.V1_35 → v1.35.0-eksbuild.2).
    '1.35': 'v1.35.0-eksbuild.2',
  },
);

export const COREDNS = eksCoreAddon(
  'coredns',
  'CoreDNS: cluster DNS',
  // A Deployment: created before any node exists, the add-on waits for capacity and times out.
  'after-nodes',
  {
    // "CoreDNS versions" table, "Manage CoreDNS for DNS in Amazon EKS clusters",
    // https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html: v1.12.4-eksbuild.1 for 1.33 and 1.34.
    '1.34': 'v1.12.4-eksbuild.1',
    // No 1.35 row reachable here. EKS Distro ships CoreDNS v1.13.1 for 1.35
    // (https://distro.eks.amazonaws.com/releases/1-35/5/); v1.13.1-eksbuild.1 is the add-on build public EKS 1.35
    // configurations pin.
    '1.35': 'v1.13.1-eksbuild.1',
  },
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
