import { describe, expect, test } from 'vitest';
import { Gp3StorageClass } from '../../../modules/addons/gp3-storage-class';
import { onlyResource, resourcesOf, synthScope } from '../../helpers/synth';

describe('Gp3StorageClass', () => {
  test('minimal props: the default gp3 class of the EBS CSI driver', () => {
    const json = synthScope((scope) => new Gp3StorageClass(scope, 'gp3'));
    expect(onlyResource(json, 'kubernetes_storage_class_v1')).toEqual({
      metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      storage_provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true' },
      volume_binding_mode: 'WaitForFirstConsumer',
      allow_volume_expansion: true,
      reclaim_policy: 'Delete',
    });
  });

  test('gp2 is not patched by default: a cluster created on 1.30+ may have no gp2 to patch', () => {
    const json = synthScope((scope) => new Gp3StorageClass(scope, 'gp3'));
    expect(resourcesOf(json, 'kubernetes_annotations')).toEqual([]);
  });

  test('unsetGp2Default (a cluster created before 1.30): gp2 is annotated as not default, forcing the field', () => {
    const json = synthScope((scope) => new Gp3StorageClass(scope, 'gp3', { unsetGp2Default: true }));
    expect(onlyResource(json, 'kubernetes_annotations')).toEqual({
      api_version: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'gp2' },
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' },
      force: true,
    });
  });

  test('not default: gp3 says so and gp2 is left alone', () => {
    const json = synthScope((scope) => new Gp3StorageClass(scope, 'gp3', { isDefault: false }));
    const sc = onlyResource(json, 'kubernetes_storage_class_v1') as {
      metadata: { annotations: Record<string, string> };
    };
    expect(sc.metadata.annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'false' });
    expect(resourcesOf(json, 'kubernetes_annotations')).toEqual([]);
  });

  test('customer key: kmsKeyId parameter', () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const json = synthScope((scope) => new Gp3StorageClass(scope, 'gp3', { kmsKeyArn: key }));
    expect(onlyResource(json, 'kubernetes_storage_class_v1').parameters).toEqual({
      type: 'gp3',
      encrypted: 'true',
      kmsKeyId: key,
    });
  });

  test.each<[string, object, string]>([
    ['the name is gp2', { name: 'gp2' }, 'Gp3StorageClass name: "gp2" is the in-tree class'],
    [
      'gp2 is un-defaulted while gp3 is not the default',
      { isDefault: false, unsetGp2Default: true },
      'Gp3StorageClass unsetGp2Default: true needs isDefault: true',
    ],
    [
      'the key is an alias',
      { kmsKeyArn: 'alias/ebs' },
      'Gp3StorageClass kmsKeyArn: "alias/ebs" is not a KMS key ARN',
    ],
  ])('throws when %s', (_name, props, message) => {
    expect(() => synthScope((scope) => new Gp3StorageClass(scope, 'gp3', props))).toThrow(message);
  });
});
