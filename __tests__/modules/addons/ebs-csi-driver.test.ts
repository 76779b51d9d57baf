import { describe, expect, test } from 'vitest';
import type { AddonAwsResult } from '../../../modules/addons/addon';
import {
  EBS_CSI_DRIVER,
  EBS_CSI_DRIVER_DEFAULTS,
  EBS_CSI_DRIVER_VERSIONS,
  EbsCsiDriver,
  ebsKmsStatements,
} from '../../../modules/addons/ebs-csi-driver';
import { onlyResource, parsePolicy, resourceIds, resourcesOf, synthScope } from '../../helpers/synth';
import { AWS_CONTEXT, CLUSTER, CLUSTER_CONTEXT, inlineStatements } from './fixtures';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('EbsCsiDriver', () => {
  test('minimal props: the EKS add-on at the pinned version, binding its role itself', () => {
    const json = synthScope(
      (scope) => new EbsCsiDriver(scope, 'ebs', { cluster: CLUSTER, version: 'v1.51.1-eksbuild.1' }),
    );
    const addon = onlyResource(json, 'aws_eks_addon');
    expect(addon).toMatchObject({
      cluster_name: 'retail-dev-eksdemo',
      addon_name: 'aws-ebs-csi-driver',
      addon_version: 'v1.51.1-eksbuild.1',
      resolve_conflicts_on_create: 'OVERWRITE',
      resolve_conflicts_on_update: 'PRESERVE',
    });
    expect(addon.configuration_values).toBeUndefined();
    const [role] = resourceIds(json, 'aws_iam_role');
    expect(addon.pod_identity_association).toEqual([
      { role_arn: `\${aws_iam_role.${role}.arn}`, service_account: 'ebs-csi-controller-sa' },
    ]);
    expect(addon.depends_on).toBeUndefined();
    expect(resourceIds(json, 'aws_eks_pod_identity_association')).toEqual([]);
  });

  test('the role trusts the controller service account the add-on really uses: kube-system/ebs-csi-controller-sa', () => {
    const json = synthScope((scope) => new EbsCsiDriver(scope, 'ebs', { cluster: CLUSTER, version: 'v1' }));
    expect(parsePolicy(onlyResource(json, 'aws_iam_role').assume_role_policy).Statement[0].Condition).toEqual(
      {
        StringEquals: {
          'aws:RequestTag/eks-cluster-arn': CLUSTER.clusterArn,
          'aws:RequestTag/kubernetes-namespace': 'kube-system',
          'aws:RequestTag/kubernetes-service-account': 'ebs-csi-controller-sa',
        },
      },
    );
    expect([EBS_CSI_DRIVER_DEFAULTS.namespace, EBS_CSI_DRIVER_DEFAULTS.serviceAccount]).toEqual([
      'kube-system',
      'ebs-csi-controller-sa',
    ]);
  });

  test('the role carries exactly the managed AmazonEBSCSIDriverPolicyV2 and no inline policy without a customer key', () => {
    const json = synthScope(
      (scope) =>
        new EbsCsiDriver(scope, 'ebs', {
          cluster: CLUSTER,
          version: 'v1',
          roleName: 'retail-dev-eksdemo-ebs-csi-driver',
        }),
    );
    expect(onlyResource(json, 'aws_iam_role').name).toBe('retail-dev-eksdemo-ebs-csi-driver');
    expect(resourcesOf(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual([
      'arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2',
    ]);
    expect(inlineStatements(json)).toEqual([]);
  });

  test('default role name is <cluster>-ebs-csi-driver', () => {
    const json = synthScope((scope) => new EbsCsiDriver(scope, 'ebs', { cluster: CLUSTER, version: 'v1' }));
    expect(onlyResource(json, 'aws_iam_role').name).toBe('retail-dev-eksdemo-ebs-csi-driver');
  });

  test('customer key: grants only for AWS resources, and key use, both on exactly that key', () => {
    const json = synthScope(
      (scope) => new EbsCsiDriver(scope, 'ebs', { cluster: CLUSTER, version: 'v1', kmsKeyArns: [KEY] }),
    );
    expect(inlineStatements(json)).toEqual([
      {
        Sid: 'VolumeKeyGrants',
        Effect: 'Allow',
        Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
        Resource: KEY,
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
      {
        Sid: 'VolumeKeyUse',
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: KEY,
      },
    ]);
  });

  test('no key, no KMS statements', () => {
    expect(ebsKmsStatements([])).toEqual([]);
  });

  test.each(['*', 'arn:aws:kms:us-east-1:123456789012:alias/ebs', 'key/1234'])(
    'throws when kmsKeyArns has %s',
    (arn) => {
      expect(() =>
        synthScope(
          (scope) => new EbsCsiDriver(scope, 'ebs', { cluster: CLUSTER, version: 'v1', kmsKeyArns: [arn] }),
        ),
      ).toThrow(`EbsCsiDriver kmsKeyArns: "${arn}" is not a KMS key ARN`);
    },
  );

  test('partition: the managed policy ARN follows it', () => {
    const json = synthScope(
      (scope) =>
        new EbsCsiDriver(scope, 'ebs', { cluster: { ...CLUSTER, partition: 'aws-us-gov' }, version: 'v1' }),
    );
    expect(onlyResource(json, 'aws_iam_role_policy_attachment').policy_arn).toBe(
      'arn:aws-us-gov:iam::aws:policy/AmazonEBSCSIDriverPolicyV2',
    );
  });
});

describe('EBS_CSI_DRIVER', () => {
  test('AWS part: the add-on at the pinned row, role <cluster>-ebs-csi-driver, its identity in the result', () => {
    let result: AddonAwsResult | undefined;
    const json = synthScope((scope) => {
      result = EBS_CSI_DRIVER.aws?.(scope, AWS_CONTEXT, EBS_CSI_DRIVER.defaults);
    });
    expect(onlyResource(json, 'aws_eks_addon').addon_version).toBe(EBS_CSI_DRIVER_VERSIONS['1.34']);
    expect(EBS_CSI_DRIVER_VERSIONS['1.34']).toBe('v1.51.1-eksbuild.1');
    expect(onlyResource(json, 'aws_iam_role').name).toBe('retail-dev-eksdemo-ebs-csi-driver');
    expect(result?.identity).toMatchObject({
      namespace: 'kube-system',
      serviceAccount: 'ebs-csi-controller-sa',
    });
  });

  test('AWS part: a configured customer key gets the KMS statements', () => {
    const json = synthScope((scope) =>
      EBS_CSI_DRIVER.aws?.(scope, AWS_CONTEXT, { ...EBS_CSI_DRIVER.defaults, kmsKeyArn: KEY }),
    );
    expect(inlineStatements(json).map((s) => s.Sid)).toEqual(['VolumeKeyGrants', 'VolumeKeyUse']);
  });

  test('cluster part: the gp3 StorageClass, default per settings, with the customer key; no webhook wait', () => {
    const json = synthScope((scope) =>
      EBS_CSI_DRIVER.cluster?.(
        scope,
        { ...CLUSTER_CONTEXT, webhooks: [] },
        { ...EBS_CSI_DRIVER.defaults, defaultStorageClass: false, kmsKeyArn: KEY },
      ),
    );
    const storageClass = onlyResource(json, 'kubernetes_storage_class_v1') as {
      metadata: { annotations: Record<string, string> };
      parameters: Record<string, string>;
    };
    expect(storageClass.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('false');
    expect(storageClass.parameters.kmsKeyId).toBe(KEY);
    expect(resourcesOf(json, 'kubernetes_annotations')).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, string]>([
    [
      'an alias instead of a key',
      { kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:alias/ebs' },
      'must be a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/…',
    ],
    ['an unknown field', { storageClass: 'gp3' }, 'Unrecognized key: "storageClass"'],
  ])('settings schema refuses %s', (_name, override, message) => {
    const result = EBS_CSI_DRIVER.settingsSchema.safeParse({ ...EBS_CSI_DRIVER.defaults, ...override });
    expect(result.error?.issues.map((i) => i.message)).toEqual([message]);
  });
});
