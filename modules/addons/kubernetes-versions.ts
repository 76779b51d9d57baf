/**
 * The Kubernetes minors the platform supports, and the shape of the EKS add-on versions pinned for each.
 *
 * Versions are pinned, not looked up at plan time: a `data "aws_eks_addon_version"` lookup makes every plan depend
 * on what AWS publishes that day, and an add-on would upgrade itself on a routine deploy. Each EKS add-on's file
 * holds its own row per minor; to bump one, list what AWS publishes and update the row (`npm test` then shows the
 * change in the stack snapshots):
 *
 *   aws eks describe-addon-versions --kubernetes-version 1.34 --addon-name vpc-cni \
 *     --query 'addons[].addonVersions[].addonVersion' --output text
 *
 * An environment can override one add-on's version: `cluster.coreAddonVersions.<name>` for the core add-ons,
 * `addons.<key>.version` for the platform's EKS add-ons.
 */
export const KUBERNETES_VERSIONS = ['1.32', '1.33', '1.34'] as const;
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];

/** Exact EKS add-on versions (`vX.Y.Z-eksbuild.N`), one per supported Kubernetes minor. */
export type EksAddonVersions = Readonly<Record<KubernetesVersion, string>>;
