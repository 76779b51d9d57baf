import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TerraformStack } from 'cdktf';
import { describe, expect, test } from 'vitest';
import { EBS_CSI_DRIVER_VERSIONS } from '../../modules/addons/ebs-csi-driver';
import { EXTERNAL_DNS_VERSIONS } from '../../modules/addons/external-dns';
import { METRICS_SERVER_VERSIONS } from '../../modules/addons/metrics-server';
import { PLATFORM_ADDONS, type PlatformAddonKey } from '../../modules/addons/registry';
import type { AwsAddonsStack } from '../../stacks/aws-addons-stack';
import { deepMerge, type EnvironmentOverrides } from '../../stacks/config/schema';
import {
  buildTestPlatform,
  parsePolicy,
  resourceIds,
  resourcesOf,
  synthStack,
  type SynthJson,
} from '../helpers/synth';

const ZONE = 'Z0123456789ABCDEFGHIJ';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const WITH_DNS: EnvironmentOverrides = {
  addons: { externalDns: { hostedZoneIds: [ZONE], domainFilters: ['retail.example.com'] } },
};
const CLUSTER_NAME_REF =
  /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-cluster\.outputs\.cross-stack-output-aws_eks_cluster.*name\}$/;

function addonsJson(overrides?: EnvironmentOverrides, environment = 'dev'): SynthJson {
  const { stacks } = buildTestPlatform(environment, overrides);
  return synthStack(stacks.awsAddons as TerraformStack);
}

const byName = (json: SynthJson) =>
  Object.fromEntries(resourcesOf(json, 'aws_eks_addon').map((a) => [a.addon_name as string, a]));
const roleNames = (json: SynthJson) =>
  resourcesOf(json, 'aws_iam_role')
    .map((r) => r.name as string)
    .sort();
/** Pod Identity bindings: separate associations (`ns/sa`) and EKS add-ons' own blocks (`<add-on> add-on/sa`). */
const associations = (json: SynthJson) =>
  [
    ...resourcesOf(json, 'aws_eks_pod_identity_association').map(
      (a) => `${a.namespace as string}/${a.service_account as string}`,
    ),
    ...resourcesOf(json, 'aws_eks_addon').flatMap((addon) =>
      ((addon.pod_identity_association ?? []) as Record<string, string>[]).map(
        (block) => `${addon.addon_name as string} add-on/${block.service_account}`,
      ),
    ),
  ].sort();

/** Every resource address (`type.logicalId`) of a synthesized stack. */
const allAddresses = (json: SynthJson) =>
  Object.entries(json.resource ?? {}).flatMap(([type, byId]) =>
    Object.keys(byId).map((id) => `${type}.${id}`),
  );

/** The inline policy statements of the role whose name ends with `suffix`. */
function statementsOf(json: SynthJson, suffix: string): Array<Record<string, unknown>> {
  const roles = json.resource?.aws_iam_role ?? {};
  const roleId = Object.keys(roles).find((id) => (roles[id].name as string).endsWith(suffix));
  const policy = resourcesOf(json, 'aws_iam_role_policy').find(
    (p) => p.role === `\${aws_iam_role.${roleId}.id}`,
  );
  if (roleId === undefined) throw new Error(`no role named *${suffix}`);
  return policy === undefined ? [] : parsePolicy(policy.policy).Statement;
}

describe('AwsAddonsStack', () => {
  test('dev: EBS CSI and metrics-server EKS add-ons at the pinned versions; ExternalDNS absent without a zone', () => {
    const json = addonsJson();
    const addons = byName(json);
    expect(Object.keys(addons).sort()).toEqual([
      'amazon-cloudwatch-observability',
      'aws-ebs-csi-driver',
      'metrics-server',
    ]);
    expect(addons['aws-ebs-csi-driver'].addon_version).toBe(EBS_CSI_DRIVER_VERSIONS['1.35']);
    expect(addons['metrics-server'].addon_version).toBe(METRICS_SERVER_VERSIONS['1.35']);
    for (const addon of Object.values(addons)) expect(addon.cluster_name).toMatch(CLUSTER_NAME_REF);
    expect(roleNames(json)).toEqual([
      'retail-dev-eksdemo-aws-load-balancer-controller',
      'retail-dev-eksdemo-cloudwatch-observability',
      'retail-dev-eksdemo-ebs-csi-driver',
      'retail-dev-eksdemo-karpenter',
      'retail-dev-eksdemo-karpenter-node',
    ]);
    // EKS add-ons bind their roles with their own block; the LBC (a chart) has a separate association.
    expect(associations(json)).toEqual([
      'amazon-cloudwatch-observability add-on/cloudwatch-agent',
      'aws-ebs-csi-driver add-on/ebs-csi-controller-sa',
      'kube-system/aws-load-balancer-controller',
      'kube-system/karpenter',
    ]);
  });

  test('AWS resources only: the aws provider, no helm or kubernetes', () => {
    const json = addonsJson(WITH_DNS);
    expect(Object.keys(json.provider ?? {})).toEqual(['aws']);
    expect(Object.keys(json.resource ?? {}).filter((type) => !type.startsWith('aws_'))).toEqual([]);
  });

  test('with a hosted zone: ExternalDNS add-on in external-dns/external-dns, writes scoped to the zone', () => {
    const json = addonsJson(WITH_DNS);
    const dns = byName(json)['external-dns'];
    expect(dns.addon_version).toBe(EXTERNAL_DNS_VERSIONS['1.35']);
    expect(JSON.parse(dns.configuration_values as string)).toEqual({
      policy: 'sync',
      registry: 'txt',
      txtOwnerId: 'retail-dev-eksdemo',
      domainFilters: ['retail.example.com'],
      sources: ['service', 'ingress'],
    });
    expect(associations(json)).toContain('external-dns add-on/external-dns');
    const zoneArn = `arn:\${data.terraform_remote_state.cross-stack-reference-input-cluster.outputs.cross-stack-output-dataaws_partitionpartitionpartition}:route53:::hostedzone/${ZONE}`;
    expect(statementsOf(json, '-external-dns')).toEqual([
      {
        Sid: 'ChangeRecordsInConfiguredZones',
        Effect: 'Allow',
        Action: 'route53:ChangeResourceRecordSets',
        Resource: zoneArn,
      },
      {
        Sid: 'ReadConfiguredZones',
        Effect: 'Allow',
        Action: [
          'route53:ListResourceRecordSets',
          'route53:ListTagsForResource',
          'route53:ListTagsForResources',
        ],
        Resource: zoneArn,
      },
      { Sid: 'ListZones', Effect: 'Allow', Action: 'route53:ListHostedZones', Resource: '*' },
    ]);
  });

  test('each EKS add-on with an identity binds its own role in its pod_identity_association block', () => {
    const json = addonsJson(WITH_DNS);
    const roles = resourceIds(json, 'aws_iam_role');
    const addons = byName(json);
    expect(addons['aws-ebs-csi-driver'].pod_identity_association).toEqual([
      {
        role_arn: `\${aws_iam_role.${roles.find((id) => id.startsWith('ebs-csi-driver'))}.arn}`,
        service_account: 'ebs-csi-controller-sa',
      },
    ]);
    expect(addons['external-dns'].pod_identity_association).toEqual([
      {
        role_arn: `\${aws_iam_role.${roles.find((id) => id.startsWith('external-dns'))}.arn}`,
        service_account: 'external-dns',
      },
    ]);
    expect(addons['metrics-server'].pod_identity_association).toBeUndefined();
    // Only the Helm-installed controllers (LBC, Karpenter) keep a separate association.
    expect(resourcesOf(json, 'aws_eks_pod_identity_association')).toHaveLength(2);
  });

  test('EBS CSI: managed AmazonEBSCSIDriverPolicyV2, plus KMS grants only when a customer key is configured', () => {
    const plain = addonsJson();
    const attachments = resourcesOf(plain, 'aws_iam_role_policy_attachment').map(
      (a) => a.policy_arn as string,
    );
    expect(
      attachments.filter((arn) => arn.endsWith(':iam::aws:policy/AmazonEBSCSIDriverPolicyV2')),
    ).toHaveLength(1);
    expect(statementsOf(plain, '-ebs-csi-driver')).toEqual([]);

    const withKey = addonsJson({ addons: { ebsCsi: { kmsKeyArn: KEY } } });
    const statements = statementsOf(withKey, '-ebs-csi-driver');
    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
      [['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], KEY],
      [['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], KEY],
    ]);
    expect(statements[0].Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });

  test('Load Balancer Controller: the upstream policy as a customer-managed policy, and the role ARN as an output', () => {
    const json = addonsJson();
    const [policy] = resourcesOf(json, 'aws_iam_policy');
    expect(policy.name).toBe('retail-dev-eksdemo-aws-load-balancer-controller-policy');
    expect(parsePolicy(policy.policy).Statement).toHaveLength(16);
    expect(json.output?.['load-balancer-controller-role-arn']?.value).toMatch(
      /^\$\{aws_iam_role\.aws-load-balancer-controller_identity_role_[0-9A-F]+\.arn\}$/,
    );
  });

  test('outputs: the identity of every add-on that has one, by add-on id (the platform stack runs charts as them)', () => {
    const { stacks } = buildTestPlatform('dev', WITH_DNS);
    const identities = stacks.awsAddons?.outputs.identities ?? {};
    expect(
      Object.entries(identities)
        .map(([id, identity]) => `${id}: ${identity.namespace}/${identity.serviceAccount}`)
        .sort(),
    ).toEqual([
      'aws-load-balancer-controller: kube-system/aws-load-balancer-controller',
      'cloudwatch-observability: amazon-cloudwatch/cloudwatch-agent',
      'ebs-csi-driver: kube-system/ebs-csi-controller-sa',
      'external-dns: external-dns/external-dns',
      'karpenter: kube-system/karpenter',
    ]);
  });

  test.each(Object.keys(PLATFORM_ADDONS) as PlatformAddonKey[])(
    'registry: %s has AWS resources iff it is enabled and has an AWS part, and they are its own',
    (key) => {
      const addon = PLATFORM_ADDONS[key];
      const build = (overrides: EnvironmentOverrides) =>
        buildTestPlatform('dev', overrides).stacks.awsAddons as AwsAddonsStack;
      // Opt-in add-ons (Argo CD) are switched on here.
      const on = build(deepMerge(WITH_DNS, { addons: { [key]: { enabled: true } } }));
      const off = build(deepMerge(WITH_DNS, { addons: { [key]: { enabled: false } } }));
      expect(Object.keys(on.installed).includes(addon.id)).toBe(addon.aws !== undefined);
      expect(Object.keys(off.installed)).not.toContain(addon.id);
      const addresses = (stack: AwsAddonsStack) => allAddresses(synthStack(stack));
      const [onAddresses, offAddresses] = [addresses(on), addresses(off)];
      const removed = onAddresses.filter((a) => !offAddresses.includes(a));
      expect(offAddresses.filter((a) => !onAddresses.includes(a))).toEqual([]);
      expect(removed.length > 0).toBe(addon.aws !== undefined);
      // Its top construct carries its id, so every resource it owns has a logical id starting with it.
      for (const address of removed) expect(address.split('.')[1]).toMatch(new RegExp(`^${addon.id}_`));
    },
  );

  test('versions: a per-environment add-on version wins over the pinned row', () => {
    const addons = byName(
      addonsJson({
        addons: {
          ebsCsi: { version: 'v1.99.0-eksbuild.1' },
          metricsServer: { version: 'v0.9.0-eksbuild.1' },
          externalDns: {
            hostedZoneIds: [ZONE],
            domainFilters: ['retail.example.com'],
            version: 'v0.20.0-eksbuild.1',
          },
        },
      }),
    );
    expect([
      addons['aws-ebs-csi-driver'].addon_version,
      addons['metrics-server'].addon_version,
      addons['external-dns'].addon_version,
    ]).toEqual(['v1.99.0-eksbuild.1', 'v0.9.0-eksbuild.1', 'v0.20.0-eksbuild.1']);
  });

  test.each<[string, EnvironmentOverrides, string | undefined, string | undefined]>([
    [
      'ebsCsi',
      { addons: { ebsCsi: { enabled: false } } },
      'aws-ebs-csi-driver',
      'aws-ebs-csi-driver add-on/ebs-csi-controller-sa',
    ],
    [
      'externalDns',
      { addons: { externalDns: { enabled: false } } },
      'external-dns',
      'external-dns add-on/external-dns',
    ],
    ['metricsServer', { addons: { metricsServer: { enabled: false } } }, 'metrics-server', undefined],
    [
      'loadBalancerController',
      { addons: { loadBalancerController: { enabled: false } } },
      undefined,
      'kube-system/aws-load-balancer-controller',
    ],
  ])('switching %s off removes its add-on, role and association', (_name, off, addonName, association) => {
    const on = addonsJson(WITH_DNS);
    const json = addonsJson(deepMerge(WITH_DNS, off));
    if (addonName !== undefined) {
      expect(Object.keys(byName(on))).toContain(addonName);
      expect(Object.keys(byName(json))).not.toContain(addonName);
    }
    if (association !== undefined) {
      expect(associations(on)).toContain(association);
      expect(associations(json)).not.toContain(association);
      expect(roleNames(json)).toHaveLength(roleNames(on).length - 1);
    } else {
      expect(roleNames(json)).toEqual(roleNames(on));
    }
    // Nothing else changes.
    expect(Object.keys(byName(on)).length - Object.keys(byName(json)).length).toBe(
      addonName === undefined ? 0 : 1,
    );
  });

  test('everything off: no add-on, role, policy or association', () => {
    const json = addonsJson({
      addons: {
        ebsCsi: { enabled: false },
        externalDns: { enabled: false },
        metricsServer: { enabled: false },
        loadBalancerController: { enabled: false },
        cloudwatchObservability: { enabled: false },
        karpenter: { enabled: false },
      },
    });
    for (const type of [
      'aws_eks_addon',
      'aws_iam_role',
      'aws_iam_policy',
      'aws_eks_pod_identity_association',
    ]) {
      expect(resourcesOf(json, type), type).toEqual([]);
    }
  });

  test('prod: role names follow the prod cluster', () => {
    expect(roleNames(addonsJson(undefined, 'prod'))).toEqual([
      'retail-prod-eks-aws-load-balancer-controller',
      'retail-prod-eks-cloudwatch-observability',
      'retail-prod-eks-ebs-csi-driver',
      'retail-prod-eks-karpenter',
      'retail-prod-eks-karpenter-node',
    ]);
  });

  test('throws when ExternalDNS has a zone but no domain filter', () => {
    expect(() => addonsJson({ addons: { externalDns: { hostedZoneIds: [ZONE] } } })).toThrow(
      'ExternalDns domainFilters: [] — give the domains of the configured hosted zones',
    );
  });

  test('docs/addons.md names the namespace and service account of every add-on identity', () => {
    const { stacks } = buildTestPlatform('dev', WITH_DNS);
    const docs = readFileSync(join(__dirname, '../../docs/addons.md'), 'utf8');
    const identities = stacks.awsAddons?.outputs.identities ?? {};
    expect(Object.keys(identities).sort()).toEqual([
      'aws-load-balancer-controller',
      'cloudwatch-observability',
      'ebs-csi-driver',
      'external-dns',
      'karpenter',
    ]);
    for (const identity of Object.values(identities)) {
      expect(docs).toContain(`\`${identity.namespace}\` / \`${identity.serviceAccount}\``);
    }
  });
});
