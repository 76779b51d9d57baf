/**
 * The contract every add-on implements: an id, its pinned defaults, and the code that installs it.
 *
 * An add-on has up to two parts that run in different stacks. Its AWS part runs in an AWS-only stack (`addons`,
 * or `cluster` for the core add-ons), which can be validated and applied against an emulator: the IAM role and Pod
 * Identity association, and/or the EKS add-on. Its cluster part runs in the Helm/Kubernetes `platform` stack: Helm
 * releases and Kubernetes objects. The AWS part returns what the cluster part needs (its identity), and the stacks
 * pass it across as typed cross-stack references, so a chart runs as exactly the service account its association
 * names.
 *
 * Each add-on lives in one file under modules/addons/ with its defaults (versions pinned there, once), and is
 * listed once in registry.ts; the stacks loop over the registry. docs/addons.md: how to add one.
 */
import type { ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import type { z } from 'zod';
import type { PolicyStatement } from '../iam-policy';
import type { SystemNodePlacement } from '../system-nodes';
import type { EksAddonVersions, KubernetesVersion } from './kubernetes-versions';

/** A Helm chart, pinned. */
export interface HelmChartRef {
  /** Chart name in its repository. */
  readonly chart: string;
  /** Repository URL. */
  readonly repository: string;
  /** Exact chart version (never a range: a release must not change on a routine deploy). */
  readonly version: string;
}

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

/** The cluster an add-on's AWS resources belong to (references to the cluster stack). */
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

/** The AWS identity an add-on's AWS part created: what its cluster part must run as. */
export interface AddonIdentityOutputs {
  /** Namespace of the service account. */
  readonly namespace: string;
  /** The service account the Pod Identity association names: the chart must run as exactly this one. */
  readonly serviceAccount: string;
  /** The IAM role's ARN. */
  readonly roleArn: string;
}

/** What an add-on's AWS part is given. */
export interface AddonAwsContext {
  /** The cluster (references; IAM and EKS resources are scoped to it). */
  readonly cluster: AddonCluster;
  /**
   * The cluster's name as a plain string known at synth (not a reference), for names that are validated at synth:
   * IAM role names (`<cluster>-<add-on id>`, at most 64 characters), ExternalDNS's TXT owner id.
   */
  readonly clusterNameLiteral: string;
  /** The cluster's Kubernetes minor: it selects the pinned EKS add-on version. */
  readonly kubernetesVersion: KubernetesVersion;
  /** The cluster's region (known at synth), for service principals and ARNs of regional resources. */
  readonly region: string;
  /** Resources of the same stack the add-on must wait for (the node groups, for CoreDNS). */
  readonly dependsOn: readonly ITerraformDependable[];
  /** The security group the cluster's nodes use (Karpenter tags it for discovery). @default - not given */
  readonly nodeSecurityGroupId?: string;
  /** Where cluster-critical add-ons run (the system node group). @default - anywhere (no system node group) */
  readonly systemNodes?: SystemNodePlacement;
}

/** What an add-on's AWS part installed. */
export interface AddonAwsResult {
  /** Its Pod Identity role and association, when it calls AWS APIs. @default - none */
  readonly identity?: AddonIdentityOutputs;
  /** The resources that are the add-on (what anything needing it running waits for). */
  readonly installed: readonly ITerraformDependable[];
  /**
   * Other values its cluster part needs from its AWS part (Karpenter's queue and node role names), by key: passed
   * across as cross-stack references like the identity. @default - none
   */
  readonly exports?: Readonly<Record<string, string>>;
}

/** What an add-on's cluster part is given. */
export interface AddonClusterContext {
  /** The EKS cluster's name. */
  readonly clusterName: string;
  /** The cluster's region. */
  readonly region: string;
  /** The cluster's VPC. */
  readonly vpcId: string;
  /** The identity its AWS part created; `undefined` when it has none. */
  readonly identity?: AddonIdentityOutputs;
  /** The `exports` of its AWS part; `undefined` when it has none. */
  readonly exports?: Readonly<Record<string, string>>;
  /**
   * The releases serving admission webhooks (add-ons with `providesWebhooks`, installed first). A part that creates
   * Pods or Services must depend on them: those webhooks reject objects while they have no ready endpoint.
   * Empty for the webhook providers themselves, and when none is enabled.
   */
  readonly webhooks: readonly ITerraformDependable[];
  /** Where cluster-critical add-ons run (the system node group). @default - anywhere (no system node group) */
  readonly systemNodes?: SystemNodePlacement;
}

/** What an add-on's cluster part installed. */
export interface AddonClusterResult {
  /** The releases and objects that are the add-on (what anything needing it running waits for). */
  readonly installed: readonly ITerraformDependable[];
}

/** What both kinds of add-on share: an id, a summary, and the code for each stack. */
export interface AddonParts<S> {
  /** Kebab-case id: it keys the identities passed between the stacks and ends its IAM role name. */
  readonly id: string;
  /** One line: what it does (docs/addons.md repeats it; a test keeps the two equal). */
  readonly summary: string;
  /**
   * Creates its AWS resources in the AWS-only stack `scope`; returns `undefined` when the settings leave nothing to
   * install (ExternalDNS without a hosted zone). Construct ids are Terraform addresses: never rename one.
   */
  aws?(scope: Construct, context: AddonAwsContext, settings: S): AddonAwsResult | undefined;
  /** Creates its Helm releases and Kubernetes objects in the Helm/Kubernetes stack `scope`. */
  cluster?(scope: Construct, context: AddonClusterContext, settings: S): AddonClusterResult | undefined;
}

/** The settings every platform add-on has. */
export interface AddonSettings {
  /** Install the add-on (both parts). */
  readonly enabled: boolean;
}

/** A platform add-on: installed by the `addons` and `platform` stacks, configured under `addons.<key>`. */
export interface PlatformAddon<S extends AddonSettings> extends AddonParts<S> {
  /** The schema of its config section (a zod strictObject, `enabled` included). */
  readonly settingsSchema: z.ZodType<S>;
  /** Its default settings, pinned versions included: the environments start from these. */
  readonly defaults: S;
  /**
   * Its cluster part serves admission webhooks (the Load Balancer Controller's Service and Pod webhooks): it is
   * installed first, waits until ready, and the other add-ons get its resources as `context.webhooks`.
   * @default false
   */
  readonly providesWebhooks?: boolean;
}

/** The one setting of a core add-on: its version (`cluster.coreAddonVersions.<id>`). */
export interface CoreAddonSettings {
  /** Exact EKS add-on version, or `most-recent`. @default - the pinned row of `versions` for the cluster's minor */
  readonly version?: string;
}

/** A core add-on: an EKS add-on every cluster gets, installed by the cluster stack around its node groups. */
export interface CoreAddon extends AddonParts<CoreAddonSettings> {
  /** The EKS add-on name, also its id. */
  readonly id: string;
  /**
   * `before-nodes`: nodes need it to become Ready or to give pods credentials (created before the node groups);
   * `after-nodes`: a Deployment that needs capacity (created after them, or it waits for nodes and times out).
   */
  readonly phase: 'before-nodes' | 'after-nodes';
  /** Its pinned versions per Kubernetes minor. */
  readonly versions: EksAddonVersions;
  aws(scope: Construct, context: AddonAwsContext, settings: CoreAddonSettings): AddonAwsResult;
}

/** The identity a cluster part needs; throws when the AWS part's result did not reach this stack. */
export function requireIdentity(context: AddonClusterContext, addonId: string): AddonIdentityOutputs {
  if (context.identity === undefined) {
    throw new Error(
      `${addonId}: its cluster part needs the identity its AWS part creates, and the addons stack's outputs ` +
        `have none for "${addonId}"; build both add-on stacks from the same configuration`,
    );
  }
  return context.identity;
}
