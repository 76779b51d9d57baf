import { describe, expect, test } from 'vitest';
import { MetricsServer } from '../../../modules/addons/metrics-server';
import { onlyResource, resourcesOf, synthScope } from '../../helpers/synth';
import { CLUSTER } from './fixtures';

describe('MetricsServer', () => {
  test('minimal props: the community add-on, pinned, with no identity', () => {
    const json = synthScope(
      (scope) => new MetricsServer(scope, 'metrics', { cluster: CLUSTER, version: 'v0.8.0-eksbuild.2' }),
    );
    const addon = onlyResource(json, 'aws_eks_addon');
    expect(addon).toMatchObject({
      cluster_name: 'retail-dev-eksdemo',
      addon_name: 'metrics-server',
      addon_version: 'v0.8.0-eksbuild.2',
    });
    expect(addon.depends_on).toBeUndefined();
    expect(resourcesOf(json, 'aws_iam_role')).toEqual([]);
    expect(resourcesOf(json, 'aws_eks_pod_identity_association')).toEqual([]);
  });

  test('the description names no service account or IAM (it calls no AWS API)', () => {
    synthScope((scope) => {
      const m = new MetricsServer(scope, 'metrics', { cluster: CLUSTER, version: 'v1' });
      expect([m.description.namespace, m.description.serviceAccount, m.description.iam]).toEqual([
        'kube-system',
        undefined,
        undefined,
      ]);
    });
  });
});
