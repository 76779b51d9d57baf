/** Class 8: what the autoscalers may ask for against what Karpenter may launch, and budgets that let nodes drain. */
import { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import type { Fixture } from '../fixture';
import { NAMESPACE } from '../fixture';
import { manifestObject } from './helpers';
import type { CorrectExtension, ExtensionMistake } from './types';

/** A Karpenter NodePool with these limits, as the Karpenter add-on writes it. */
function nodePool(f: Fixture, id: string, limits: { cpu: string; memory: string }) {
  return manifestObject(f.stacks.workload, id, {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: id },
    spec: {
      template: {
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
          requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }],
        },
      },
      limits,
    },
  });
}

/** An HPA on the fixture's cart Deployment (250m / 512Mi requested per pod). */
function autoscaler(f: Fixture, minReplicas: number, maxReplicas: number) {
  return new HorizontalPodAutoscalerV2(f.stacks.workload, 'autoscaler', {
    metadata: { name: 'carts', namespace: f.deployment.metadata.namespace },
    spec: {
      minReplicas,
      maxReplicas,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: f.deployment.metadata.name },
      metric: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
    },
  });
}

function budget(f: Fixture, spec: { minAvailable?: string; maxUnavailable?: string }) {
  return new PodDisruptionBudgetV1(f.stacks.workload, 'budget', {
    metadata: { name: 'carts', namespace: NAMESPACE },
    spec: { ...spec, selector: { matchLabels: { app: 'carts' } } },
  });
}

export const CAPACITY: ExtensionMistake[] = [
  {
    class: 8,
    what: 'the cart may scale to 100 pods, whose CPU requests exceed the NodePool limit',
    rule: 'CART015',
    path: 'cart-workload/autoscaler',
    mentions: ['maxReplicas 100 × 0.25 CPU requested = 25 CPU', 'NodePool cpu limit 16 CPU', 'Pending'],
    extend: (f) => {
      nodePool(f, 'general', { cpu: '16', memory: '64Gi' });
      autoscaler(f, 2, 100);
    },
  },
  {
    class: 8,
    what: 'a NodePool whose memory limit the autoscaler maximum exceeds',
    rule: 'CART015',
    path: 'cart-workload/autoscaler',
    mentions: ['maxReplicas 20 × 0.5Gi requested = 10Gi', 'NodePool memory limit 8Gi'],
    extend: (f) => {
      nodePool(f, 'general', { cpu: '64', memory: '8Gi' });
      autoscaler(f, 2, 20);
    },
  },
  {
    class: 8,
    what: 'an HPA written as a kubernetes_manifest against two NodePools too small together',
    rule: 'CART015',
    path: 'cart-workload/hpa-manifest',
    mentions: ['maxReplicas 40', '10 CPU', 'NodePool cpu limit 8 CPU (spot, on-demand'],
    extend: (f) => {
      nodePool(f, 'spot', { cpu: '4', memory: '64Gi' });
      nodePool(f, 'on-demand', { cpu: '4', memory: '64Gi' });
      manifestObject(f.stacks.workload, 'hpa-manifest', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'carts', namespace: NAMESPACE },
        spec: {
          minReplicas: 2,
          maxReplicas: 40,
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'carts' },
        },
      });
    },
  },
  {
    class: 8,
    what: 'a PodDisruptionBudget whose minAvailable equals the autoscaler minimum',
    rule: 'CART015',
    path: 'cart-workload/budget',
    mentions: ['minAvailable 2 (2 of 2 pods)', 'Deployment "carts"', 'consolidate'],
    extend: (f) => {
      autoscaler(f, 2, 4);
      budget(f, { minAvailable: '2' });
    },
  },
  {
    class: 8,
    what: 'a PodDisruptionBudget of minAvailable 100% on a Deployment without autoscaler',
    rule: 'CART015',
    path: 'cart-workload/budget',
    mentions: ['minAvailable 100% (1 of 1 pods)'],
    extend: (f) => {
      budget(f, { minAvailable: '100%' });
    },
  },
  {
    class: 8,
    what: 'a PodDisruptionBudget with maxUnavailable 0',
    rule: 'CART015',
    path: 'cart-workload/budget',
    mentions: ['maxUnavailable 0', 'no pod may ever be evicted'],
    extend: (f) => {
      autoscaler(f, 3, 6);
      budget(f, { maxUnavailable: '0' });
    },
  },
];

export const CAPACITY_CORRECT: CorrectExtension[] = [
  {
    what: 'an autoscaler whose maximum fits the NodePool limits with headroom, and a budget of minAvailable 1',
    extend: (f) => {
      nodePool(f, 'general', { cpu: '16', memory: '64Gi' });
      autoscaler(f, 2, 20);
      budget(f, { minAvailable: '1' });
    },
  },
  {
    what: 'a budget of maxUnavailable 1 on a three-replica autoscaler, and a NodePool without limits',
    extend: (f) => {
      manifestObject(f.stacks.workload, 'unlimited-pool', {
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodePool',
        metadata: { name: 'unlimited' },
        spec: { template: { spec: { requirements: [] } } },
      });
      autoscaler(f, 3, 500);
      budget(f, { maxUnavailable: '1' });
    },
  },
];
