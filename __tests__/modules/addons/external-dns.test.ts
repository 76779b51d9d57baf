import { describe, expect, test } from 'vitest';
import {
  EXTERNAL_DNS,
  EXTERNAL_DNS_DEFAULTS,
  EXTERNAL_DNS_VERSIONS,
  ExternalDns,
  type ExternalDnsProps,
} from '../../../modules/addons/external-dns';
import { onlyResource, resourceIds, resourcesOf, synthScope } from '../../helpers/synth';
import { AWS_CONTEXT, CLUSTER, inlineStatements } from './fixtures';

const PROPS: ExternalDnsProps = {
  cluster: CLUSTER,
  version: 'v0.19.0-eksbuild.2',
  hostedZoneIds: ['Z0123456789ABCDEFGHIJ'],
  domainFilters: ['retail.example.com'],
};

describe('ExternalDns', () => {
  test('minimal props: the community add-on with explicit policy, txt owner = cluster name, domain filter', () => {
    const json = synthScope((scope) => new ExternalDns(scope, 'dns', PROPS));
    const addon = onlyResource(json, 'aws_eks_addon');
    expect(addon).toMatchObject({
      cluster_name: 'retail-dev-eksdemo',
      addon_name: 'external-dns',
      addon_version: 'v0.19.0-eksbuild.2',
    });
    expect(JSON.parse(addon.configuration_values as string)).toEqual({
      policy: 'sync',
      registry: 'txt',
      txtOwnerId: 'retail-dev-eksdemo',
      domainFilters: ['retail.example.com'],
      sources: ['service', 'ingress'],
    });
    const [role] = resourceIds(json, 'aws_iam_role');
    expect(addon.pod_identity_association).toEqual([
      { role_arn: `\${aws_iam_role.${role}.arn}`, service_account: 'external-dns' },
    ]);
    expect(resourceIds(json, 'aws_eks_pod_identity_association')).toEqual([]);
  });

  test('policy and txtOwnerId are passed through', () => {
    const json = synthScope(
      (scope) =>
        new ExternalDns(scope, 'dns', { ...PROPS, policy: 'upsert-only', txtOwnerId: 'blue-cluster' }),
    );
    const values = JSON.parse(onlyResource(json, 'aws_eks_addon').configuration_values as string);
    expect([values.policy, values.txtOwnerId]).toEqual(['upsert-only', 'blue-cluster']);
  });

  test('the role trusts what the add-on runs as: external-dns/external-dns', () => {
    const json = synthScope((scope) => new ExternalDns(scope, 'dns', PROPS));
    expect(onlyResource(json, 'aws_iam_role').assume_role_policy).toContain(
      '"aws:RequestTag/kubernetes-namespace":"external-dns","aws:RequestTag/kubernetes-service-account":"external-dns"',
    );
    expect(EXTERNAL_DNS_DEFAULTS).toMatchObject({
      namespace: 'external-dns',
      serviceAccount: 'external-dns',
    });
  });

  test('Route53 writes and reads only on the configured zones; only ListHostedZones on *', () => {
    const json = synthScope(
      (scope) =>
        new ExternalDns(scope, 'dns', {
          ...PROPS,
          hostedZoneIds: ['Z0123456789ABCDEFGHIJ', 'Z9876543210ZYXWVUTSRQ'],
        }),
    );
    const zones = [
      'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ',
      'arn:aws:route53:::hostedzone/Z9876543210ZYXWVUTSRQ',
    ];
    expect(inlineStatements(json)).toEqual([
      {
        Sid: 'ChangeRecordsInConfiguredZones',
        Effect: 'Allow',
        Action: 'route53:ChangeResourceRecordSets',
        Resource: zones,
      },
      {
        Sid: 'ReadConfiguredZones',
        Effect: 'Allow',
        Action: [
          'route53:ListResourceRecordSets',
          'route53:ListTagsForResource',
          'route53:ListTagsForResources',
        ],
        Resource: zones,
      },
      { Sid: 'ListZones', Effect: 'Allow', Action: 'route53:ListHostedZones', Resource: '*' },
    ]);
    // Not the guide's AmazonRoute53FullAccess: no managed policy at all.
    expect(resourcesOf(json, 'aws_iam_role_policy_attachment')).toEqual([]);
  });

  test('no statement allows a write on *', () => {
    const json = synthScope((scope) => new ExternalDns(scope, 'dns', PROPS));
    const wildcard = inlineStatements(json).filter(
      (s) => s.Resource === '*' || (s.Resource as string[]).includes?.('*'),
    );
    expect(wildcard.map((s) => s.Action)).toEqual(['route53:ListHostedZones']);
  });

  test('zone ARNs follow the partition', () => {
    const json = synthScope(
      (scope) => new ExternalDns(scope, 'dns', { ...PROPS, cluster: { ...CLUSTER, partition: 'aws-cn' } }),
    );
    expect(inlineStatements(json)[0].Resource).toBe('arn:aws-cn:route53:::hostedzone/Z0123456789ABCDEFGHIJ');
  });

  test.each<[string, Partial<ExternalDnsProps>, string]>([
    ['no hosted zone', { hostedZoneIds: [] }, 'ExternalDns hostedZoneIds: []'],
    [
      'a zone ARN instead of an id',
      { hostedZoneIds: ['arn:aws:route53:::hostedzone/Z1'] },
      'is not a hosted zone id',
    ],
    ['a lowercase zone id', { hostedZoneIds: ['z0123'] }, 'ExternalDns hostedZoneIds: "z0123"'],
    ['no domain filter', { domainFilters: [] }, 'ExternalDns domainFilters: []'],
    [
      'an unknown policy',
      { policy: 'create-only' as never },
      'ExternalDns policy: "create-only" not allowed',
    ],
  ])('throws when %s', (_name, override, message) => {
    expect(() => synthScope((scope) => new ExternalDns(scope, 'dns', { ...PROPS, ...override }))).toThrow(
      message,
    );
  });
});

describe('EXTERNAL_DNS', () => {
  const WITH_ZONE = {
    ...EXTERNAL_DNS.defaults,
    hostedZoneIds: [PROPS.hostedZoneIds[0]],
    domainFilters: ['retail.example.com'],
  };

  test('AWS part without a hosted zone: nothing installed, and it says so', () => {
    let result: unknown = 'not called';
    const json = synthScope((scope) => {
      result = EXTERNAL_DNS.aws?.(scope, AWS_CONTEXT, EXTERNAL_DNS.defaults);
    });
    expect(result).toBeUndefined();
    expect(json.resource).toBeUndefined();
  });

  test('AWS part with a zone: the pinned row, TXT owner and role name from the plain cluster name', () => {
    const json = synthScope((scope) =>
      EXTERNAL_DNS.aws?.(scope, { ...AWS_CONTEXT, clusterNameLiteral: 'blue' }, WITH_ZONE),
    );
    const addon = onlyResource(json, 'aws_eks_addon');
    expect(addon.addon_version).toBe(EXTERNAL_DNS_VERSIONS['1.34']);
    expect(JSON.parse(addon.configuration_values as string).txtOwnerId).toBe('blue');
    expect(onlyResource(json, 'aws_iam_role').name).toBe('blue-external-dns');
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['an unknown policy', { policy: 'create-only' }, 'Invalid option: expected one of "sync"|"upsert-only"'],
    [
      'a zone ARN',
      { hostedZoneIds: ['arn:aws:route53:::hostedzone/Z1'] },
      'must be a Route53 hosted zone id such as Z0123456789ABCDEFGHIJ',
    ],
  ])('settings schema refuses %s', (_name, override, message) => {
    const result = EXTERNAL_DNS.settingsSchema.safeParse({ ...EXTERNAL_DNS.defaults, ...override });
    expect(result.error?.issues.map((i) => i.message)).toEqual([message]);
  });
});
