import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { PolicyStatement } from '../iam-policy';
import { CLUSTER_PREREQUISITES, type AddonCluster, type AddonDescription } from './addon';
import { EksManagedAddon } from './eks-managed-addon';

/**
 * Where ExternalDNS runs and as whom. The EKS community add-on `external-dns` installs into its own namespace
 * `external-dns` with the service account `external-dns` (the AWS community add-ons documentation, and the guide's
 * association `external-dns/external-dns`); the aws provider 5.100 has no argument to move it elsewhere.
 */
export const EXTERNAL_DNS_DEFAULTS = {
  id: 'external-dns',
  addonName: 'external-dns',
  namespace: 'external-dns',
  serviceAccount: 'external-dns',
  /** Kubernetes objects whose hostnames it publishes. */
  sources: ['service', 'ingress'],
  /** TXT ownership records, so it only ever touches records it created. */
  registry: 'txt',
} as const;

export const EXTERNAL_DNS_POLICIES = ['sync', 'upsert-only'] as const;
export type ExternalDnsPolicy = (typeof EXTERNAL_DNS_POLICIES)[number];

/** Writes, only in the configured zones. */
export const ROUTE53_RECORD_WRITE_ACTIONS = ['route53:ChangeResourceRecordSets'] as const;
/** Reads of the configured zones' records and tags (both tag calls: versions differ in which one they use). */
export const ROUTE53_ZONE_READ_ACTIONS = [
  'route53:ListResourceRecordSets',
  'route53:ListTagsForResource',
  'route53:ListTagsForResources',
] as const;
/** Zone discovery: ListHostedZones has no resource-level permissions, so it is the one `*`. */
export const ROUTE53_ZONE_LIST_ACTIONS = ['route53:ListHostedZones'] as const;

export interface ExternalDnsProps {
  /** The cluster. */
  readonly cluster: AddonCluster;
  /** Exact EKS add-on version (pinned per Kubernetes version in stacks/addon-versions.ts). */
  readonly version: string;
  /** Route53 hosted zone ids it may write to (at least one). */
  readonly hostedZoneIds: readonly string[];
  /** Domains it manages (`--domain-filter`); they must lie in the zones above, or its writes are denied. */
  readonly domainFilters: readonly string[];
  /** `sync` also deletes the records it owns; `upsert-only` never deletes. @default 'sync' */
  readonly policy?: ExternalDnsPolicy;
  /** Owner id written in its TXT records; unique per cluster sharing a zone. @default - the cluster name */
  readonly txtOwnerId?: string;
  /** IAM role name. @default `<clusterName>-external-dns` */
  readonly roleName?: string;
  /** Further resources the add-on waits for (same stack). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** Route53 permissions scoped to the given hosted zones (the shape of the upstream tutorial's policy). */
export function route53Statements(partition: string, hostedZoneIds: readonly string[]): PolicyStatement[] {
  const zoneArns = hostedZoneIds.map((id) => `arn:${partition}:route53:::hostedzone/${id}`);
  return [
    { sid: 'ChangeRecordsInConfiguredZones', actions: ROUTE53_RECORD_WRITE_ACTIONS, resources: zoneArns },
    { sid: 'ReadConfiguredZones', actions: ROUTE53_ZONE_READ_ACTIONS, resources: zoneArns },
    { sid: 'ListZones', actions: ROUTE53_ZONE_LIST_ACTIONS, resources: ['*'] },
  ];
}

/** The add-on's description (the contract of modules/addons/addon.ts). */
export function externalDnsAddon(
  version: string,
  partition: string,
  hostedZoneIds: readonly string[],
): AddonDescription {
  const d = EXTERNAL_DNS_DEFAULTS;
  return {
    id: d.id,
    summary: 'ExternalDNS: publishes Ingress and Service hostnames as Route53 records',
    install: { kind: 'eks-addon', addonName: d.addonName, version },
    namespace: d.namespace,
    serviceAccount: d.serviceAccount,
    iam: { statements: route53Statements(partition, hostedZoneIds) },
    waitsFor: [...CLUSTER_PREREQUISITES, 'its Pod Identity association'],
  };
}

/**
 * ExternalDNS as the EKS community add-on, as the guide installs it, with explicit configuration values and a Pod
 * Identity role whose Route53 writes are limited to the configured hosted zones (not AmazonRoute53FullAccess).
 *
 * The configuration keys (`policy`, `registry`, `txtOwnerId`, `domainFilters`, `sources`) are the upstream
 * external-dns chart's values, which the add-on's configuration schema exposes (checked against public
 * configurations of add-on v0.19.0-eksbuild.2; confirm with `aws eks describe-addon-configuration
 * --addon-name external-dns --addon-version <version>`).
 */
export class ExternalDns extends Construct {
  public readonly description: AddonDescription;
  public readonly managed: EksManagedAddon;
  /** The configuration values sent to the add-on. */
  public readonly configurationValues: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    const policy = props.policy ?? 'sync';
    validate(props, policy);
    this.description = externalDnsAddon(props.version, props.cluster.partition, props.hostedZoneIds);
    this.configurationValues = {
      policy,
      registry: EXTERNAL_DNS_DEFAULTS.registry,
      txtOwnerId: props.txtOwnerId ?? props.cluster.clusterName,
      domainFilters: [...props.domainFilters],
      sources: [...EXTERNAL_DNS_DEFAULTS.sources],
    };
    this.managed = new EksManagedAddon(this, 'addon', {
      cluster: props.cluster,
      addon: this.description,
      roleName: props.roleName,
      configurationValues: this.configurationValues,
      dependsOn: props.dependsOn,
    });
  }
}

function validate(props: ExternalDnsProps, policy: string): void {
  if (props.hostedZoneIds.length === 0) {
    throw new Error(
      'ExternalDns hostedZoneIds: [] — give at least one Route53 hosted zone id, or do not create ExternalDns',
    );
  }
  for (const zone of props.hostedZoneIds) {
    if (!Token.isUnresolved(zone) && !/^Z[A-Z0-9]{1,31}$/.test(zone)) {
      throw new Error(
        `ExternalDns hostedZoneIds: "${zone}" is not a hosted zone id such as Z0123456789ABCDEFGHIJ`,
      );
    }
  }
  // Without a domain filter it would try every zone ListHostedZones returns and be denied on the others.
  if (props.domainFilters.length === 0) {
    throw new Error('ExternalDns domainFilters: [] — give the domains of the configured hosted zones');
  }
  if (!(EXTERNAL_DNS_POLICIES as readonly string[]).includes(policy)) {
    throw new Error(`ExternalDns policy: "${policy}" not allowed; use ${EXTERNAL_DNS_POLICIES.join(' or ')}`);
  }
}
