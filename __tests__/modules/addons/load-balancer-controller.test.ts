import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { describe, expect, test } from 'vitest';
import type { AddonAwsResult } from '../../../modules/addons/addon';
import {
  LOAD_BALANCER_CONTROLLER,
  LOAD_BALANCER_CONTROLLER_DEFAULTS,
  LoadBalancerController,
  loadBalancerControllerCrdCommand,
  loadBalancerControllerPolicy,
} from '../../../modules/addons/load-balancer-controller';
import { onlyResource, parsePolicy, resourceIds, resourcesOf, synthScope } from '../../helpers/synth';
import { AWS_CONTEXT, CLUSTER_CONTEXT, inlineStatements, releaseValues } from './fixtures';

const ADDON = LOAD_BALANCER_CONTROLLER;

/** The add-on's AWS part in `scope/aws`, its cluster part (given the AWS part's identity) in `scope/cluster`. */
function installBothParts(scope: Construct): AddonAwsResult | undefined {
  const aws = ADDON.aws?.(new Construct(scope, 'aws'), AWS_CONTEXT, ADDON.defaults);
  ADDON.cluster?.(
    new Construct(scope, 'cluster'),
    { ...CLUSTER_CONTEXT, identity: aws?.identity },
    ADDON.defaults,
  );
  return aws;
}

const POLICY_FILE = join(__dirname, '../../../modules/addons/policies/lbc-iam-policy.json');
const PROPS = { clusterName: 'retail-dev-eksdemo', region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0' };

describe('LoadBalancerController (Helm)', () => {
  test('minimal props: chart 3.5.0 from eks-charts in kube-system, waiting until ready', () => {
    const json = synthScope((scope) => new LoadBalancerController(scope, 'lbc', PROPS));
    expect(onlyResource(json, 'helm_release')).toMatchObject({
      name: 'aws-load-balancer-controller',
      chart: 'aws-load-balancer-controller',
      repository: 'https://aws.github.io/eks-charts',
      version: '3.5.0',
      namespace: 'kube-system',
      create_namespace: false,
      wait: true,
      atomic: true,
      cleanup_on_fail: true,
      timeout: 600,
    });
  });

  test('values: cluster, region and VPC given (no IMDS discovery), two replicas, the associated service account, no Service webhook', () => {
    const json = synthScope((scope) => new LoadBalancerController(scope, 'lbc', PROPS));
    expect(releaseValues(onlyResource(json, 'helm_release'))).toEqual({
      clusterName: 'retail-dev-eksdemo',
      region: 'us-east-1',
      vpcId: 'vpc-0123456789abcdef0',
      replicaCount: 2,
      serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
      enableServiceMutatorWebhook: false,
    });
  });

  test('the chart runs as the service account its Pod Identity association names', () => {
    const json = synthScope((scope) => installBothParts(scope));
    const association = onlyResource(json, 'aws_eks_pod_identity_association');
    const release = onlyResource(json, 'helm_release');
    const values = releaseValues(release) as { serviceAccount: { name: string } };
    expect([association.namespace, association.service_account]).toEqual([
      release.namespace,
      values.serviceAccount.name,
    ]);
    expect(association.service_account).toBe('aws-load-balancer-controller');
  });

  test('chart version, replicas, namespace and service account are overridable', () => {
    const json = synthScope(
      (scope) =>
        new LoadBalancerController(scope, 'lbc', {
          ...PROPS,
          chartVersion: '3.4.0',
          replicas: 3,
          namespace: 'lbc',
          serviceAccount: 'lbc-sa',
        }),
    );
    const release = onlyResource(json, 'helm_release');
    expect([release.version, release.namespace]).toEqual(['3.4.0', 'lbc']);
    expect(releaseValues(release)).toMatchObject({
      replicaCount: 3,
      serviceAccount: { create: true, name: 'lbc-sa' },
    });
  });

  test.each([0, 6, 1.5])('throws when replicas is %s', (replicas) => {
    expect(() =>
      synthScope((scope) => new LoadBalancerController(scope, 'lbc', { ...PROPS, replicas })),
    ).toThrow(`LoadBalancerController replicas: ${replicas} must be an integer from 1 to 5`);
  });

  test('throws when the chart version is a range', () => {
    expect(() =>
      synthScope((scope) => new LoadBalancerController(scope, 'lbc', { ...PROPS, chartVersion: '^3.5.0' })),
    ).toThrow('HelmChart chart.version: "^3.5.0" for aws-load-balancer-controller must be an exact version');
  });
});

describe('LOAD_BALANCER_CONTROLLER: the identity (AWS part)', () => {
  test('the upstream policy is loaded from the committed file, unchanged in the aws partition', () => {
    const committed = JSON.parse(readFileSync(POLICY_FILE, 'utf8'));
    expect(JSON.parse(loadBalancerControllerPolicy('aws'))).toEqual(committed);
  });

  test('a customer-managed policy with the upstream document attached to a Pod Identity role for kube-system/aws-load-balancer-controller', () => {
    const json = synthScope((scope) => ADDON.aws?.(scope, AWS_CONTEXT, ADDON.defaults));
    expect(onlyResource(json, 'aws_iam_role').name).toBe('retail-dev-eksdemo-aws-load-balancer-controller');
    const policy = onlyResource(json, 'aws_iam_policy');
    expect(policy.name).toBe('retail-dev-eksdemo-aws-load-balancer-controller-policy');
    expect(parsePolicy(policy.policy)).toEqual(JSON.parse(readFileSync(POLICY_FILE, 'utf8')));
    expect(resourcesOf(json, 'aws_iam_role_policy_attachment')).toHaveLength(1);
    expect(inlineStatements(json)).toEqual([]);
    expect(onlyResource(json, 'aws_eks_pod_identity_association')).toMatchObject({
      namespace: 'kube-system',
      service_account: 'aws-load-balancer-controller',
    });
  });

  test('the policy scopes its writes by the elbv2.k8s.aws/cluster tag wherever upstream does', () => {
    const statements = parsePolicy(loadBalancerControllerPolicy('aws')).Statement;
    const deletes = statements.filter((s) =>
      (s.Action as string[]).includes('elasticloadbalancing:DeleteLoadBalancer'),
    );
    expect(deletes).toHaveLength(1);
    expect(deletes[0].Condition).toEqual({ Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } });
  });

  test('in another partition every ARN moves to it', () => {
    const document = loadBalancerControllerPolicy('aws-us-gov');
    expect(document).not.toContain('"arn:aws:');
    expect(document).toContain('"arn:aws-us-gov:ec2:*:*:security-group/*"');
  });

  test('the role ARN is an output, and the result hands the identity to the cluster part', () => {
    let result: AddonAwsResult | undefined;
    const json = synthScope((scope) => {
      result = ADDON.aws?.(scope, AWS_CONTEXT, ADDON.defaults);
    });
    const [roleId] = resourceIds(json, 'aws_iam_role');
    expect(json.output?.['load-balancer-controller-role-arn'].value).toBe(`\${aws_iam_role.${roleId}.arn}`);
    expect(result?.identity).toMatchObject({
      namespace: 'kube-system',
      serviceAccount: 'aws-load-balancer-controller',
    });
    expect(result?.installed).toHaveLength(1);
    expect(result?.installed[0]).toBeInstanceOf(EksPodIdentityAssociation);
  });
});

describe('LOAD_BALANCER_CONTROLLER: the release (cluster part)', () => {
  test("the defaults are the construct's pinned chart and replicas (one copy of the version)", () => {
    expect(ADDON.defaults).toEqual({
      enabled: true,
      chartVersion: LOAD_BALANCER_CONTROLLER_DEFAULTS.chart.version,
      replicas: LOAD_BALANCER_CONTROLLER_DEFAULTS.replicas,
    });
    expect(ADDON.settingsSchema.parse(ADDON.defaults)).toEqual(ADDON.defaults);
  });

  test('provides the webhooks the other add-ons wait for, and waits for none itself', () => {
    expect(ADDON.providesWebhooks).toBe(true);
    const json = synthScope((scope) => installBothParts(scope));
    const release = onlyResource(json, 'helm_release');
    expect([release.version, release.wait, release.depends_on]).toEqual(['3.5.0', true, undefined]);
    expect(releaseValues(release)).toEqual({
      clusterName: 'retail-dev-eksdemo',
      region: 'us-east-1',
      vpcId: 'vpc-0123456789abcdef0',
      replicaCount: 2,
      serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
      enableServiceMutatorWebhook: false,
    });
  });

  test('throws when the cluster part is given no identity', () => {
    expect(() => synthScope((scope) => ADDON.cluster?.(scope, CLUSTER_CONTEXT, ADDON.defaults))).toThrow(
      'aws-load-balancer-controller: its cluster part needs the identity its AWS part creates, and the addons ' +
        'stack\'s outputs have none for "aws-load-balancer-controller"',
    );
  });
});

describe('the CRD step Helm does not do on a chart bump', () => {
  test('the command applies the crds/ kustomization at the release tag of the version', () => {
    expect(loadBalancerControllerCrdCommand('3.6.0')).toBe(
      'kubectl apply -k "github.com/kubernetes-sigs/aws-load-balancer-controller/helm/aws-load-balancer-controller/crds?ref=v3.6.0"',
    );
  });

  test('docs/addons.md shows it for the pinned chart version, next to the Service webhook decision', () => {
    const docs = readFileSync(join(__dirname, '../../../docs/addons.md'), 'utf8');
    expect(docs).toContain(loadBalancerControllerCrdCommand(LOAD_BALANCER_CONTROLLER_DEFAULTS.chart.version));
    expect(docs).toContain('`enableServiceMutatorWebhook: false`');
  });
});
