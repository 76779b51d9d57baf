/**
 * Pinned EKS add-on versions per Kubernetes version.
 *
 * Pinned, not looked up at plan time: a `data "aws_eks_addon_version"` lookup makes every plan depend on what AWS
 * publishes that day, and an add-on would upgrade itself on a routine `deploy`. To bump, list what AWS publishes
 * and update the row (then `npm test` shows the diff in the snapshots):
 *
 *   aws eks describe-addon-versions --kubernetes-version 1.34 --addon-name vpc-cni \
 *     --query 'addons[].addonVersions[].addonVersion' --output text
 *
 * A single add-on can also be overridden per environment through `cluster.coreAddonVersions` or the
 * `addons.<name>.version` fields of the environment config.
 */
export const KUBERNETES_VERSIONS = ['1.32', '1.33', '1.34'] as const;
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];

/** The add-ons every cluster gets, in the order they must come up. */
export interface CoreAddonVersions {
  /** Pod Identity agent: must run before any workload asks for Pod Identity credentials. */
  readonly 'eks-pod-identity-agent': string;
  /** Amazon VPC CNI: nodes are not Ready without it. */
  readonly 'vpc-cni': string;
  readonly 'kube-proxy': string;
  /** CoreDNS is a Deployment: created after the node groups, or it waits (and times out) for capacity. */
  readonly coredns: string;
}

/** The community and AWS add-ons the platform installs as EKS add-ons (see stacks/addons-stack.ts). */
export interface PlatformAddonVersions {
  readonly 'aws-ebs-csi-driver': string;
  readonly 'external-dns': string;
  readonly 'metrics-server': string;
}

export const CORE_ADDON_VERSIONS: Readonly<Record<KubernetesVersion, CoreAddonVersions>> = {
  '1.32': {
    'eks-pod-identity-agent': 'v1.3.8-eksbuild.2',
    'vpc-cni': 'v1.20.4-eksbuild.1',
    'kube-proxy': 'v1.32.6-eksbuild.12',
    coredns: 'v1.11.4-eksbuild.22',
  },
  '1.33': {
    'eks-pod-identity-agent': 'v1.3.8-eksbuild.2',
    'vpc-cni': 'v1.20.4-eksbuild.1',
    'kube-proxy': 'v1.33.3-eksbuild.10',
    coredns: 'v1.12.2-eksbuild.4',
  },
  '1.34': {
    'eks-pod-identity-agent': 'v1.3.8-eksbuild.2',
    'vpc-cni': 'v1.20.4-eksbuild.1',
    'kube-proxy': 'v1.34.0-eksbuild.4',
    coredns: 'v1.12.3-eksbuild.1',
  },
};

export const PLATFORM_ADDON_VERSIONS: Readonly<Record<KubernetesVersion, PlatformAddonVersions>> = {
  '1.32': {
    'aws-ebs-csi-driver': 'v1.51.1-eksbuild.1',
    'external-dns': 'v0.19.0-eksbuild.2',
    'metrics-server': 'v0.8.0-eksbuild.2',
  },
  '1.33': {
    'aws-ebs-csi-driver': 'v1.51.1-eksbuild.1',
    'external-dns': 'v0.19.0-eksbuild.2',
    'metrics-server': 'v0.8.0-eksbuild.2',
  },
  '1.34': {
    'aws-ebs-csi-driver': 'v1.51.1-eksbuild.1',
    'external-dns': 'v0.19.0-eksbuild.2',
    'metrics-server': 'v0.8.0-eksbuild.2',
  },
};
