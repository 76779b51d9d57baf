import type { Construct } from 'constructs';
import { describe, expect, test } from 'vitest';
import { HardenedDeployment } from '../../../modules/kubernetes/hardened-deployment';
import {
  HorizontalPodAutoscaler,
  type HorizontalPodAutoscalerProps,
} from '../../../modules/kubernetes/horizontal-pod-autoscaler';
import { onlyResource, resourceIds, synthScope, type SynthJson } from '../../helpers/synth';

type Props = Omit<HorizontalPodAutoscalerProps, 'target'>;
const PROPS: Props = { name: 'web', namespace: 'shop', maxReplicas: 6, targetCpuPercent: 75 };

function target(scope: Construct): HardenedDeployment {
  return new HardenedDeployment(scope, 'web-deployment', {
    name: 'web',
    namespace: 'shop',
    labels: { app: 'web' },
    runAsUser: 1000,
    container: {
      image: 'web:1',
      resources: { cpuRequest: '100m', memoryRequest: '64Mi', cpuLimit: '1', memoryLimit: '64Mi' },
    },
  });
}
function synth(props: Partial<Props> = {}): SynthJson {
  return synthScope(
    (scope) => new HorizontalPodAutoscaler(scope, 'web', { ...PROPS, target: target(scope), ...props }),
  );
}

describe('HorizontalPodAutoscaler', () => {
  test('minimal props: at least one pod, CPU utilization of the target Deployment', () => {
    const json = synth();
    const deploymentId = resourceIds(json, 'kubernetes_deployment_v1')[0];
    expect(onlyResource(json, 'kubernetes_horizontal_pod_autoscaler_v2')).toEqual({
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        min_replicas: 1,
        max_replicas: 6,
        scale_target_ref: {
          api_version: 'apps/v1',
          kind: 'Deployment',
          name: `\${kubernetes_deployment_v1.${deploymentId}.metadata[0].name}`,
        },
        metric: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', average_utilization: 75 } },
          },
        ],
      },
    });
  });

  test('the target stops being scaled by Terraform: its replicas are ignored after creation', () => {
    const json = synth({ minReplicas: 2, labels: { app: 'web' } });
    expect(onlyResource(json, 'kubernetes_deployment_v1').lifecycle).toEqual({
      ignore_changes: ['spec[0].replicas'],
    });
    expect(onlyResource(json, 'kubernetes_horizontal_pod_autoscaler_v2')).toMatchObject({
      metadata: { labels: { app: 'web' } },
      spec: { min_replicas: 2 },
    });
  });

  test("the target's other lifecycle settings are kept", () => {
    const json = synthScope((scope) => {
      const deployment = target(scope);
      deployment.lifecycle = { preventDestroy: true, ignoreChanges: ['metadata[0].annotations'] };
      new HorizontalPodAutoscaler(scope, 'web', { ...PROPS, target: deployment });
    });
    expect(onlyResource(json, 'kubernetes_deployment_v1').lifecycle).toEqual({
      prevent_destroy: true,
      ignore_changes: ['metadata[0].annotations', 'spec[0].replicas'],
    });
  });

  test.each([
    [
      'the name is not a DNS label',
      { name: 'Web' },
      'HorizontalPodAutoscaler name: "Web" must be a DNS-1123 label',
    ],
    [
      'minReplicas is 0',
      { minReplicas: 0 },
      'HorizontalPodAutoscaler minReplicas: 0 must be an integer >= 1',
    ],
    [
      'maxReplicas is below minReplicas',
      { minReplicas: 3, maxReplicas: 2 },
      'HorizontalPodAutoscaler maxReplicas: 2 must be an integer >= minReplicas (3)',
    ],
    [
      'the CPU target is above 100',
      { targetCpuPercent: 150 },
      'HorizontalPodAutoscaler targetCpuPercent: 150 must be an integer in 1-100',
    ],
    [
      'the CPU target is a fraction',
      { targetCpuPercent: 0.8 },
      'HorizontalPodAutoscaler targetCpuPercent: 0.8 must be an integer in 1-100',
    ],
  ])('throws when %s', (_name, override, message) => {
    expect(() => synth(override as Partial<Props>)).toThrow(message);
  });
});
