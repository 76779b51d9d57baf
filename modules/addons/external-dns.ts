import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { z } from 'zod';
import type { PolicyStatement } from '../iam-policy';
import type { AddonCluster, PlatformAddon } from './addon';
import { EksManagedAddon } from './eks-managed-addon';
import { eksAddonVersionSchema, type EksAddonVersions } from './kubernetes-versions';

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

/** The pinned `external-dns` versions (see kubernetes-versions.ts for how to bump). */
export const EXTERNAL_DNS_VERSIONS: EksAddonVersions = {
  // The community add-on's build (AWS community add-ons documentation publishes no per-minor table).
  '1.34': 'v0.19.0-eksbuild.2',
  // No source found that lists the community add-on's builds for 1.35: the same build as on 1.34. If CreateAddon
  // refuses it, set `addons.externalDns.version: most-recent` (resolved at plan time) and pin what it picks.
  '1.35': 'v0.19.0-eksbuild.2',
};

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
  /** EKS add-on version (pinned per Kubernetes version in EXTERNAL_DNS_VERSIONS), or `most-recent`. */
  readonly version: string;
  /** The cluster's Kubernetes minor (what `most-recent` resolves for). @default - required with `most-recent` */
  readonly kubernetesVersion?: string;
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
  public readonly managed: EksManagedAddon;
  /** The configuration values sent to the add-on. */
  public readonly configurationValues: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    const d = EXTERNAL_DNS_DEFAULTS;
    const policy = props.policy ?? 'sync';
    validate(props, policy);
    this.configurationValues = {
      policy,
      registry: d.registry,
      txtOwnerId: props.txtOwnerId ?? props.cluster.clusterName,
      domainFilters: [...props.domainFilters],
      sources: [...d.sources],
    };
    this.managed = new EksManagedAddon(this, 'addon', {
      cluster: props.cluster,
      addonName: d.addonName,
      version: props.version,
      kubernetesVersion: props.kubernetesVersion,
      identity: {
        addonId: d.id,
        namespace: d.namespace,
        serviceAccount: d.serviceAccount,
        iam: { statements: route53Statements(props.cluster.partition, props.hostedZoneIds) },
        roleName: props.roleName ?? `${props.cluster.clusterName}-${d.id}`,
      },
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

const settingsSchema = z.strictObject({
  enabled: z.boolean(),
  /** EKS add-on version (exact or `most-recent`); `undefined` takes the pinned row of EXTERNAL_DNS_VERSIONS. */
  version: eksAddonVersionSchema.optional(),
  /** Route53 hosted zone ids ExternalDNS may write to; with none, ExternalDNS is not installed. */
  hostedZoneIds: z.array(
    z.string().regex(/^Z[A-Z0-9]{1,31}$/, 'must be a Route53 hosted zone id such as Z0123456789ABCDEFGHIJ'),
  ),
  /** Domains ExternalDNS manages (its `--domain-filter`). */
  domainFilters: z.array(z.string().min(1)),
  /** `sync` also deletes records it owns; `upsert-only` never deletes. */
  policy: z.enum(EXTERNAL_DNS_POLICIES),
});
export type ExternalDnsSettings = z.infer<typeof settingsSchema>;

/** The add-on: the EKS community add-on and its zone-scoped identity (AWS part only). */
export const EXTERNAL_DNS: PlatformAddon<ExternalDnsSettings> = {
  id: EXTERNAL_DNS_DEFAULTS.id,
  summary: 'ExternalDNS: publishes Ingress and Service hostnames as Route53 records',
  settingsSchema,
  defaults: { enabled: true, version: undefined, hostedZoneIds: [], domainFilters: [], policy: 'sync' },
  aws(scope, context, settings) {
    // Without a hosted zone it would have nothing it may write to: it is not installed at all.
    if (settings.hostedZoneIds.length === 0) return undefined;
    const dns = new ExternalDns(scope, EXTERNAL_DNS_DEFAULTS.id, {
      cluster: context.cluster,
      version: settings.version ?? EXTERNAL_DNS_VERSIONS[context.kubernetesVersion],
      kubernetesVersion: context.kubernetesVersion,
      hostedZoneIds: settings.hostedZoneIds,
      domainFilters: settings.domainFilters,
      policy: settings.policy,
      txtOwnerId: context.clusterNameLiteral,
      roleName: `${context.clusterNameLiteral}-${EXTERNAL_DNS_DEFAULTS.id}`,
      dependsOn: context.dependsOn,
    });
    return { identity: dns.managed.identity?.outputs, installed: [dns.managed.addon] };
  },
};
