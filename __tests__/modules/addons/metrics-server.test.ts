import { describe, expect, test } from 'vitest';
import type { AddonAwsResult } from '../../../modules/addons/addon';
import {
  METRICS_SERVER,
  METRICS_SERVER_VERSIONS,
  MetricsServer,
} from '../../../modules/addons/metrics-server';
import { onlyResource, resourcesOf, synthScope } from '../../helpers/synth';
import { AWS_CONTEXT, CLUSTER } from './fixtures';

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

  test('the construct creates no identity (it calls no AWS API)', () => {
    synthScope((scope) => {
      const m = new MetricsServer(scope, 'metrics', { cluster: CLUSTER, version: 'v1' });
      expect(m.managed.identity).toBeUndefined();
    });
  });
});

describe('METRICS_SERVER', () => {
  test("AWS part: the add-on at the pinned row of the cluster's Kubernetes minor; no identity; no cluster part", () => {
    let result: AddonAwsResult | undefined;
    const json = synthScope((scope) => {
      result = METRICS_SERVER.aws?.(
        scope,
        { ...AWS_CONTEXT, kubernetesVersion: '1.35' },
        METRICS_SERVER.defaults,
      );
    });
    expect(onlyResource(json, 'aws_eks_addon').addon_version).toBe(METRICS_SERVER_VERSIONS['1.35']);
    expect(METRICS_SERVER_VERSIONS['1.35']).toBe('v0.9.0-eksbuild.5');
    expect(json.data).toBeUndefined();
    expect(result?.identity).toBeUndefined();
    expect(METRICS_SERVER.cluster).toBeUndefined();
  });

  test("most-recent: the version is looked up at plan time for the cluster's minor", () => {
    const json = synthScope((scope) => {
      METRICS_SERVER.aws?.(
        scope,
        { ...AWS_CONTEXT, kubernetesVersion: '1.35' },
        {
          enabled: true,
          version: 'most-recent',
        },
      );
    });
    const lookup = Object.values(json.data?.aws_eks_addon_version ?? {});
    expect(lookup).toEqual([
      expect.objectContaining({
        addon_name: 'metrics-server',
        kubernetes_version: '1.35',
        most_recent: true,
      }),
    ]);
    expect(onlyResource(json, 'aws_eks_addon').addon_version).toMatch(
      /^\$\{data\.aws_eks_addon_version\.[\w-]+\.version\}$/,
    );
  });

  test('a configured version wins over the pinned row', () => {
    const json = synthScope((scope) =>
      METRICS_SERVER.aws?.(scope, AWS_CONTEXT, { enabled: true, version: 'v0.9.0-eksbuild.1' }),
    );
    expect(onlyResource(json, 'aws_eks_addon').addon_version).toBe('v0.9.0-eksbuild.1');
  });
});
