/**
 * The Kubernetes minors the platform supports, and the shape of the EKS add-on versions pinned for each.
 *
 * Only minors in EKS standard support are allowed (EKS user guide, "Understand the Kubernetes version lifecycle on
 * EKS", https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html: 14 months of standard support,
 * then 12 months of extended support at an extra price per cluster hour). 1.34's standard support ends on
 * 2026-12-02, 1.35's on 2027-03-27; 1.32 (2026-03-23) and 1.33 (2026-07-29) are past theirs and were dropped.
 *
 * Versions are pinned, not looked up at plan time: a `data "aws_eks_addon_version"` lookup makes every plan depend
 * on what AWS publishes that day, and an add-on would upgrade itself on a routine deploy. Each EKS add-on's file
 * holds its own row per minor, with the source of every pin beside it; to bump one, list what AWS publishes and
 * update the row (`npm test` then shows the change in the stack snapshots):
 *
 *   aws eks describe-addon-versions --kubernetes-version 1.35 --addon-name vpc-cni \
 *     --query 'addons[].addonVersions[].addonVersion' --output text
 *
 * An environment can override one add-on's version: `cluster.coreAddonVersions.<name>` for the core add-ons,
 * `addons.<key>.version` for the platform's EKS add-ons — an exact version, or `most-recent` (see below).
 */
import { z } from 'zod';

export const KUBERNETES_VERSIONS = ['1.34', '1.35'] as const;
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];

/** Exact EKS add-on versions (`vX.Y.Z-eksbuild.N`), one per supported Kubernetes minor. */
export type EksAddonVersions = Readonly<Record<KubernetesVersion, string>>;

/**
 * The version choice that resolves at plan time instead of a pin: the aws provider's `aws_eks_addon_version` data
 * source with `most_recent = true` for the cluster's minor. For a minor no published source covers yet; the cost:
 * every plan asks AWS, and a newer build published between two deploys upgrades the add-on on the second.
 */
export const EKS_ADDON_MOST_RECENT = 'most-recent';

/** The shape of an exact EKS add-on version. */
export const EKS_ADDON_VERSION_PATTERN = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/** A configured add-on version: exact, or `most-recent`. */
export const eksAddonVersionSchema = z
  .string()
  .refine((value) => value === EKS_ADDON_MOST_RECENT || EKS_ADDON_VERSION_PATTERN.test(value), {
    message: `an EKS add-on version: exact (vX.Y.Z-eksbuild.N) or "${EKS_ADDON_MOST_RECENT}"`,
  });
