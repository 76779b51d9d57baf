import { describe, expect, test } from 'vitest';
import {
  PodDisruptionBudget,
  type PodDisruptionBudgetProps,
} from '../../../modules/kubernetes/pod-disruption-budget';
import { onlyResource, synthScope, type SynthJson } from '../../helpers/synth';

const PROPS: PodDisruptionBudgetProps = { name: 'web', namespace: 'shop', selector: { app: 'web' } };

function synth(props: Partial<PodDisruptionBudgetProps> = {}): SynthJson {
  return synthScope((scope) => new PodDisruptionBudget(scope, 'web', { ...PROPS, ...props }));
}

describe('PodDisruptionBudget', () => {
  test('minimal props: one pod stays available', () => {
    expect(onlyResource(synth(), 'kubernetes_pod_disruption_budget_v1')).toEqual({
      metadata: { name: 'web', namespace: 'shop' },
      spec: { min_available: '1', selector: { match_labels: { app: 'web' } } },
    });
  });

  test.each([
    [2, '2'],
    ['50%', '50%'],
    [0, '0'],
  ])('minAvailable %j is written as %j', (minAvailable, written) => {
    expect(
      onlyResource(synth({ minAvailable, labels: { app: 'web' } }), 'kubernetes_pod_disruption_budget_v1'),
    ).toEqual({
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
      spec: { min_available: written, selector: { match_labels: { app: 'web' } } },
    });
  });

  test.each([
    [
      'the name is not a DNS label',
      { name: 'Web' },
      'PodDisruptionBudget name: "Web" must be a DNS-1123 label',
    ],
    ['the selector is empty', { selector: {} }, 'PodDisruptionBudget selector: {} would select every pod'],
    [
      'minAvailable is negative',
      { minAvailable: -1 },
      'PodDisruptionBudget minAvailable: -1 must be an integer >= 0 or a percentage 0%-100%',
    ],
    [
      'minAvailable is above 100%',
      { minAvailable: '150%' },
      'PodDisruptionBudget minAvailable: "150%" must be an integer >= 0 or a percentage 0%-100%',
    ],
    [
      'minAvailable is a word',
      { minAvailable: 'half' },
      'PodDisruptionBudget minAvailable: "half" must be an integer >= 0 or a percentage 0%-100%',
    ],
  ])('throws when %s', (_name, override, message) => {
    expect(() => synth(override as Partial<PodDisruptionBudgetProps>)).toThrow(message);
  });
});
