/**
 * The contract every platform add-on describes itself with.
 *
 * An add-on has two halves that live in different stacks: its AWS identity and EKS add-on (the AWS-only `addons`
 * stack, which can be validated and applied against an emulator) and its Helm releases or Kubernetes objects (the
 * `platform` stack). Both halves read the same description, so the service account a Pod Identity association
 * names is, by construction, the one the chart or EKS add-on runs as.
 */
import type { PolicyStatement } from '../iam-policy';

/** A Helm chart, pinned. */
export interface HelmChartRef {
  /** Chart name in its repository. */
  readonly chart: string;
  /** Repository URL. */
  readonly repository: string;
  /** Exact chart version (never a range: a release must not change on a routine deploy). */
  readonly version: string;
}

/** How an add-on is installed. */
export type AddonInstall =
  | {
      /** An Amazon EKS add-on (AWS or community), managed by the `aws_eks_addon` resource. */
      readonly kind: 'eks-addon';
      /** The EKS add-on name, e.g. `aws-ebs-csi-driver`. */
      readonly addonName: string;
      /** Exact add-on version, e.g. `v1.51.1-eksbuild.1`. */
      readonly version: string;
    }
  | {
      /** One or more Helm releases. */
      readonly kind: 'helm';
      /** The releases, in install order. */
      readonly charts: readonly HelmChartRef[];
    };

/** The AWS permissions of an add-on's service account. */
export interface AddonIam {
  /** AWS-managed policy names (not ARNs) attached to the role. @default [] */
  readonly managedPolicies?: readonly string[];
  /**
   * Customer-managed policies created for the add-on: `name` is appended to the role name, `document` is the
   * policy JSON (upstream policies committed as data).
   * @default []
   */
  readonly customerPolicies?: readonly { readonly name: string; readonly document: string }[];
  /** Statements of the role's inline policy. @default [] */
  readonly statements?: readonly PolicyStatement[];
}

/** What an add-on is, where it runs, as whom, with which AWS permissions, and what must exist before it. */
export interface AddonDescription {
  /** Kebab-case id: the prefix of its construct ids and the suffix of its IAM role name. */
  readonly id: string;
  /** One line: what it does. */
  readonly summary: string;
  /** How it is installed (EKS add-on or Helm), with pinned versions. */
  readonly install: AddonInstall;
  /** Namespace its workload runs in. */
  readonly namespace: string;
  /** The service account its AWS identity is bound to; `undefined` when it calls no AWS API. */
  readonly serviceAccount?: string;
  /** Its AWS permissions; `undefined` when it calls no AWS API. */
  readonly iam?: AddonIam;
  /**
   * What must be running before it is installed. Within a stack the constructs add `depends_on`; across stacks the
   * order comes from cross-stack references and the documented deploy order.
   */
  readonly waitsFor: readonly string[];
}

/** The cluster an add-on's identity is scoped to (cross-stack references from the cluster stack). */
export interface AddonCluster {
  /** The EKS cluster's name. */
  readonly clusterName: string;
  /** The EKS cluster's ARN (scopes the Pod Identity trust). */
  readonly clusterArn: string;
  /** The account owning the cluster. */
  readonly accountId: string;
  /** The AWS partition (`aws`, `aws-us-gov`, `aws-cn`), for managed policy and resource ARNs. */
  readonly partition: string;
}

/** What must be running before any add-on: every add-on's pods need nodes, and Pod Identity needs its agent. */
export const CLUSTER_PREREQUISITES = ['eks-pod-identity-agent', 'vpc-cni', 'node groups'] as const;
