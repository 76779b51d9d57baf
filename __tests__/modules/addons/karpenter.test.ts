import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { karpenterControllerPolicies, type KarpenterIamScope } from '../../../modules/addons/karpenter-iam';
import {
  ec2NodeClassManifest,
  nodePoolManifest,
  type NodePoolSpec,
} from '../../../modules/addons/karpenter-node-pools';
import { INTERRUPTION_EVENTS } from '../../../modules/addons/karpenter-interruption-queue';
import { policyDocument } from '../../../modules/iam-policy';
import { buildTestPlatform, parsePolicy, resourcesOf, synthStack, type SynthJson } from '../../helpers/synth';
import { crdErrors } from './karpenter-crds';
import { FIXTURES_DIR, keysFileName, unreadValueKeys, type ChartKeysFile } from '../../../scripts/chart-keys';

const TEMPLATE = join(__dirname, '../../fixtures/iam/karpenter-1.14.1-getting-started-cloudformation.yaml');
const SCOPE: KarpenterIamScope = {
  clusterName: 'retail-dev-eksdemo',
  partition: 'aws',
  region: 'us-east-1',
  accountId: '123456789012',
  nodeRoleArn: 'arn:aws:iam::123456789012:role/retail-dev-eksdemo-karpenter-node',
  queueArn: 'arn:aws:sqs:us-east-1:123456789012:retail-dev-eksdemo',
};

/** Upstream's managed policies, with the template's parameters bound to SCOPE, by kebab-case name. */
function upstreamPolicies(): Record<string, unknown> {
  const tags = ['!Sub', '!GetAtt', '!Ref'].map((tag) => ({ tag, resolve: (value: string) => value }));
  const template = parse(readFileSync(TEMPLATE, 'utf8'), { customTags: tags }) as {
    Resources: Record<string, { Type: string; Properties: { PolicyDocument?: string } }>;
  };
  const bind = (text: string) =>
    text
      .replaceAll('${ClusterName}', SCOPE.clusterName)
      .replaceAll('${AWS::Partition}', SCOPE.partition)
      .replaceAll('${AWS::Region}', SCOPE.region)
      .replaceAll('${AWS::AccountId}', SCOPE.accountId)
      .replaceAll('${KarpenterNodeRole.Arn}', SCOPE.nodeRoleArn)
      .replaceAll('${KarpenterInterruptionQueue.Arn}', SCOPE.queueArn);
  const policies: Record<string, unknown> = {};
  for (const [name, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const key = name
      .replace(/Policy$/, '')
      .replace(/(?<!^)([A-Z])(?=[a-z])/g, '-$1')
      .toLowerCase();
    policies[key] = oneElementArraysAsStrings(JSON.parse(bind(resource.Properties.PolicyDocument as string)));
  }
  return policies;
}

/** `"Action": ["x"]` and `"Action": "x"` mean the same; the project renders the second. */
function oneElementArraysAsStrings(policy: { Statement: Record<string, unknown>[] }): unknown {
  const single = (v: unknown) => (Array.isArray(v) && v.length === 1 ? (v[0] as unknown) : v);
  return {
    ...policy,
    Statement: policy.Statement.map((s) => ({
      ...s,
      Action: single(s.Action),
      Resource: single(s.Resource),
    })),
  };
}

describe('controller permissions', () => {
  const ours = karpenterControllerPolicies(SCOPE);

  test('are upstream’s six policies, statement for statement', () => {
    const upstream = upstreamPolicies();
    expect(Object.keys(ours).sort()).toEqual(Object.keys(upstream).sort());
    expect(Object.keys(ours)).toHaveLength(6);
    for (const [name, statements] of Object.entries(ours)) {
      expect(JSON.parse(policyDocument(statements)), name).toEqual(upstream[name]);
    }
  });

  test('every write is scoped to this cluster, its node role or its queue', () => {
    const all = Object.values(ours).flat();
    const unscoped = all.filter((s) => s.resources.includes('*') && s.conditions === undefined);
    expect(unscoped.flatMap((s) => s.actions).sort()).toEqual([
      'iam:ListInstanceProfiles',
      'pricing:GetProducts',
    ]);
    // Every EC2 write on an instance, fleet, volume or launch template requires this cluster's tag.
    const ec2Writes = all.filter(
      (st) =>
        st.actions.some((a) => a.startsWith('ec2:') && !a.startsWith('ec2:Describe')) &&
        st.resources.some((r) => /:(instance|fleet|volume|launch-template)\//.test(r)),
    );
    expect(ec2Writes.map((st) => st.sid)).toEqual([
      'AllowScopedEC2LaunchTemplateAccessActions',
      'AllowScopedEC2InstanceActionsWithTags',
      'AllowScopedResourceCreationTagging',
      'AllowScopedResourceTagging',
      'AllowScopedDeletion',
    ]);
    for (const st of ec2Writes) {
      expect(JSON.stringify(st.conditions)).toContain('kubernetes.io/cluster/retail-dev-eksdemo');
    }
    const passRole = all.filter((s) => s.actions.includes('iam:PassRole'));
    expect(passRole.map((s) => s.resources)).toEqual([[SCOPE.nodeRoleArn]]);
    const sqs = all.filter((s) => s.actions.some((a) => a.startsWith('sqs:')));
    expect(sqs.map((s) => s.resources)).toEqual([[SCOPE.queueArn]]);
  });
});

const POOL: NodePoolSpec = {
  name: 'general',
  capacityTypes: ['spot', 'on-demand'],
  instanceCategories: ['c', 'm', 'r'],
  cpuLimit: '16',
  memoryLimit: '64Gi',
  consolidateAfter: '1m',
  disruptionBudget: '10%',
};
const NODE_CLASS_PROPS = {
  clusterName: 'retail-dev-eksdemo',
  nodeRoleName: 'retail-dev-eksdemo-karpenter-node',
  amiAlias: 'al2023@latest',
  rootVolumeSize: '20Gi',
  tags: { team: 'platform' },
  pools: [POOL],
  dependsOn: [],
};

describe('Kubernetes objects against the 1.14.1 CRD schemas', () => {
  test('the EC2NodeClass is valid', () => {
    expect(crdErrors('EC2NodeClass', ec2NodeClassManifest(NODE_CLASS_PROPS))).toEqual([]);
  });

  test('the NodePool is valid', () => {
    expect(crdErrors('NodePool', nodePoolManifest(POOL))).toEqual([]);
  });

  test.each([
    [
      'a misspelt field',
      { spec: { disruption: { consolidationPolicy: 'WhenEmpty', consolidateAftr: '1m' } } },
    ],
    ['an unknown consolidation policy', { spec: { disruption: { consolidationPolicy: 'Always' } } }],
    ['a string limit that is no quantity', { spec: { template: { spec: { nodeClassRef: 1 } } } }],
  ])('the schema check fails on %s', (_, broken) => {
    const object = structuredClone(nodePoolManifest(POOL)) as Record<string, Record<string, unknown>>;
    const spec = (broken as { spec: Record<string, unknown> }).spec;
    object.spec = { ...object.spec, ...spec };
    expect(crdErrors('NodePool', object).length).toBeGreaterThan(0);
  });
});

describe('the add-on in the platform (dev with Karpenter on)', () => {
  const { stacks } = buildTestPlatform('dev', { addons: { karpenter: { enabled: true } } });
  const addons = synthStack(stacks.awsAddons as never);
  const platform = synthStack(stacks.clusterAddons as never);
  const network = synthStack(stacks.network as never);
  const byType = (json: SynthJson, type: string) => resourcesOf(json, type);

  test('node role with the four node policies and an EC2_LINUX access entry', () => {
    const attachments = byType(addons, 'aws_iam_role_policy_attachment')
      .filter((a) => /^\$\{aws_iam_role\.karpenter_node-role_\w+\.name\}$/.test(String(a.role)))
      .map((a) => String(a.policy_arn).split('/').pop());
    expect(attachments.sort()).toEqual([
      'AmazonEC2ContainerRegistryReadOnly',
      'AmazonEKSWorkerNodePolicy',
      'AmazonEKS_CNI_Policy',
      'AmazonSSMManagedInstanceCore',
    ]);
    const [entry] = byType(addons, 'aws_eks_access_entry');
    expect(entry.type).toBe('EC2_LINUX');
    expect(String(entry.principal_arn)).toMatch(/^\$\{aws_iam_role\.karpenter_node-role_\w+\.arn\}$/);
  });

  test('the queue is encrypted and only EventBridge and SQS may send, over TLS', () => {
    const [queue] = byType(addons, 'aws_sqs_queue');
    expect(queue).toMatchObject({
      name: 'retail-dev-eksdemo',
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 300,
    });
    const policy = parsePolicy(byType(addons, 'aws_sqs_queue_policy')[0].policy);
    expect(policy.Statement.map((s) => [s.Effect, s.Principal, s.Action])).toEqual([
      ['Allow', { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] }, 'sqs:SendMessage'],
      ['Deny', { AWS: '*' }, 'sqs:*'],
    ]);
  });

  test('one EventBridge rule per interruption event, each targeting the queue', () => {
    const patterns = byType(addons, 'aws_cloudwatch_event_rule').map((r) =>
      JSON.parse(String(r.event_pattern)),
    );
    const byDetail = (a: { 'detail-type': string[] }, b: { 'detail-type': string[] }) =>
      a['detail-type'][0].localeCompare(b['detail-type'][0]);
    expect(patterns.sort(byDetail)).toEqual(
      INTERRUPTION_EVENTS.map((e) => ({ source: [e.source], 'detail-type': [e.detailType] })).sort(byDetail),
    );
    const targets = byType(addons, 'aws_cloudwatch_event_target');
    expect(targets).toHaveLength(5);
    for (const t of targets)
      expect(String(t.arn)).toMatch(/^\$\{aws_sqs_queue\.karpenter_interruption_queue_\w+\.arn\}$/);
  });

  test('six customer-managed policies, with the node role and queue as references', () => {
    const policies = byType(addons, 'aws_iam_policy').filter((p) => String(p.name).includes('-karpenter-'));
    expect(policies.map((p) => p.name).sort()).toEqual(
      [
        'eks-integration',
        'iam-integration',
        'interruption',
        'node-lifecycle',
        'resource-discovery',
        'zonal-shift',
      ].map((n) => `retail-dev-eksdemo-karpenter-${n}`),
    );
    const text = policies.map((p) => String(p.policy)).join('\n');
    expect(text).toMatch(/"Resource":"\$\{aws_iam_role\.karpenter_node-role_\w+\.arn\}"/);
    expect(text).toMatch(/"Resource":"\$\{aws_sqs_queue\.karpenter_interruption_queue_\w+\.arn\}"/);
  });

  test('the private subnets and the cluster security group carry the discovery tag', () => {
    const subnets = byType(network, 'aws_subnet');
    const tagged = subnets.filter(
      (s) => (s.tags as Record<string, string>)['karpenter.sh/discovery'] === 'retail-dev-eksdemo',
    );
    expect(tagged.map((s) => (s.tags as Record<string, string>).Name)).toEqual([
      'retail-dev-private-use1-az1',
      'retail-dev-private-use1-az2',
    ]);
    const [tag] = byType(addons, 'aws_ec2_tag');
    expect(tag).toMatchObject({ key: 'karpenter.sh/discovery', value: 'retail-dev-eksdemo' });
  });

  test('the node class and pools depend on the release (created after its CRDs, destroyed before it)', () => {
    const releases = Object.keys(platform.resource?.helm_release ?? {}).filter((id) =>
      id.startsWith('karpenter_'),
    );
    expect(releases).toHaveLength(1);
    const manifests = byType(platform, 'kubernetes_manifest');
    expect(manifests).toHaveLength(2);
    for (const m of manifests) expect(m.depends_on).toContain(`helm_release.${releases[0]}`);
  });

  test('the chart sets only keys Karpenter 1.14.1 reads, and runs as the association’s service account', () => {
    const [release] = Object.values(platform.resource?.helm_release ?? {}).filter(
      (r) => (r as { chart: string }).chart === 'karpenter',
    ) as { repository: string; version: string; values: string[] }[];
    expect([release.repository, release.version]).toEqual(['oci://public.ecr.aws/karpenter', '1.14.1']);
    const values = JSON.parse(release.values[0]) as Record<string, Record<string, unknown>>;
    const keys = JSON.parse(
      readFileSync(join(FIXTURES_DIR, keysFileName('karpenter', '1.14.1')), 'utf8'),
    ) as ChartKeysFile;
    expect(unreadValueKeys(values, keys.keys)).toEqual([]);
    expect(values.serviceAccount).toEqual({ create: true, name: 'karpenter' });
    // Scraped by the CloudWatch agent (the NodePool-limit alarm): the chart's default metrics port.
    expect(values.podAnnotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8080',
      'prometheus.io/path': '/metrics',
    });
    const [association] = byType(addons, 'aws_eks_pod_identity_association').filter(
      (a) => a.service_account === 'karpenter',
    );
    expect(association.namespace).toBe('kube-system');
    expect(String(values.settings.interruptionQueue)).toMatch(
      /aws_sqs_queuekarpenter_interruption_queue_\w+name\}$/,
    );
  });
});
