/**
 * Capacity that fits: what the autoscalers may ask for must fit in what Karpenter may launch, and a
 * PodDisruptionBudget must let a node drain. Karpenter stops launching once a NodePool's `limits` are reached, so
 * the pods past them stay Pending at the very moment of a traffic peak; a budget that allows no eviction blocks
 * consolidation, node expiry and every node group upgrade.
 */
import {
  autoscalers,
  deploymentReplicas,
  disruptionBudgets,
  nodePools,
  podRequests,
  templateLabels,
  type Autoscaler,
  type DisruptionBudget,
} from '../capacity-model';
import { kubernetesModel } from '../kubernetes-model';
import type { SynthesizedApp } from '../synthesized-app';
import type { GuardrailRule, Violation } from '../types';
import { num } from '../values';

/**
 * The share of the NodePools' limits the autoscalers' maxima may take: the rest is headroom for what runs on every
 * node (DaemonSets: CNI, kube-proxy, Pod Identity agent, CSI node plugins), the kubelet's reserve and bin-packing
 * losses, which all count against the limits too.
 */
export const WORKLOAD_SHARE = 0.8;

const GIB = 2 ** 30;
const FIX_CAPACITY =
  'raise the NodePool limits (addons.karpenter.cpuLimit / memoryLimit) or lower the autoscaler maximum (cart.autoscaling.maxReplicas) or the pod requests.';
const FIX_DRAIN =
  'set minAvailable below the replicas the workload runs at its minimum (e.g. 1 for 2 replicas), or maxUnavailable to 1.';

function format(kind: 'cpu' | 'memory', value: number): string {
  return kind === 'cpu' ? `${Number(value.toFixed(3))} CPU` : `${Number((value / GIB).toFixed(2))}Gi`;
}

function capacityViolations(app: SynthesizedApp): Violation[] {
  const pools = nodePools(app);
  if (pools.length === 0) return [];
  const scaled = autoscalers(app).filter(
    (a): a is Autoscaler & { maxReplicas: number } => a.maxReplicas !== undefined && a.target !== undefined,
  );
  const violations: Violation[] = [];
  for (const kind of ['cpu', 'memory'] as const) {
    const limits = pools.map((p) => p.limits[kind]);
    // An unlimited (or unknown) pool can always grow.
    if (limits.some((l) => l === undefined)) continue;
    const total = limits.reduce((sum: number, l) => sum + (l as number), 0);
    const demands = scaled.map((a) => ({ a, each: a.target && podRequests(app, a.target)[kind] }));
    if (demands.some((d) => d.each === undefined)) continue;
    const demand = demands.reduce((sum, d) => sum + (d.each as number) * d.a.maxReplicas, 0);
    if (demand <= total * WORKLOAD_SHARE) continue;
    for (const { a, each } of demands) {
      violations.push({
        element: a.source,
        message: `scales "${a.name}" to maxReplicas ${a.maxReplicas} × ${format(kind, each as number)} requested = ${format(kind, a.maxReplicas * (each as number))}${demands.length > 1 ? ` (all autoscalers together: ${format(kind, demand)})` : ''}, more than ${WORKLOAD_SHARE * 100}% of the NodePool ${kind} limit ${format(kind, total)} (${pools.map((p) => p.name).join(', ')}; the rest is headroom for DaemonSets and system pods).`,
        effect: `Karpenter stops launching nodes at the NodePool limits: past ${format(kind, total * WORKLOAD_SHARE)} of ${kind} the scale-out pods stay Pending at the peak that asked for them.`,
        fix: FIX_CAPACITY,
      });
    }
  }
  return violations;
}

/** How many pods a minAvailable/maxUnavailable value stands for, with `replicas` pods (percentages round up). */
function pods(value: string, replicas: number): number | undefined {
  const percent = /^(\d+)%$/.exec(value);
  if (percent !== null) return Math.ceil((Number(percent[1]) / 100) * replicas);
  return num(value);
}

/** The Deployment a budget selects and the fewest replicas it runs: its autoscaler's minimum, else `replicas`. */
function selectedDeployment(
  app: SynthesizedApp,
  budget: DisruptionBudget,
): { replicas: number; name?: string } | undefined {
  if (Object.keys(budget.matchLabels).length === 0) return undefined;
  for (const pod of kubernetesModel(app).pods.filter((p) => p.kind === 'Deployment')) {
    if (pod.namespace !== budget.namespace) continue;
    const labels = templateLabels(app, pod);
    if (!Object.entries(budget.matchLabels).every(([k, v]) => labels[k] === v)) continue;
    const scaler = autoscalers(app).find((a) => a.target === pod);
    return { replicas: scaler?.minReplicas ?? deploymentReplicas(app, pod), name: pod.name };
  }
  return undefined;
}

function drainViolations(app: SynthesizedApp): Violation[] {
  return disruptionBudgets(app).flatMap((budget) => {
    const target = selectedDeployment(app, budget);
    if (target === undefined) return [];
    const { replicas } = target;
    const minAvailable = budget.minAvailable === undefined ? undefined : pods(budget.minAvailable, replicas);
    const maxUnavailable =
      budget.maxUnavailable === undefined ? undefined : pods(budget.maxUnavailable, replicas);
    const blocked = (minAvailable !== undefined && minAvailable >= replicas) || maxUnavailable === 0;
    if (!blocked) return [];
    const setting =
      maxUnavailable === 0
        ? `maxUnavailable ${budget.maxUnavailable}`
        : `minAvailable ${budget.minAvailable} (${minAvailable} of ${replicas} pods)`;
    return [
      {
        element: budget.source,
        message: `"${budget.name}" has ${setting} for Deployment "${target.name}", which runs ${replicas} replica(s) at its minimum: no pod may ever be evicted.`,
        effect:
          'every eviction is refused: Karpenter cannot consolidate or expire a node the cart runs on, and node group upgrades and drains hang until they time out.',
        fix: FIX_DRAIN,
      },
    ];
  });
}

export const capacityFits: GuardrailRule = {
  id: 'CART015',
  title: 'Autoscaler maxima fit the NodePool limits; PodDisruptionBudgets let a node drain',
  prevents:
    'scale-out pods Pending because Karpenter reached its NodePool limits, and nodes that can never be drained (consolidation, expiry, upgrades) because a PodDisruptionBudget allows no eviction',
  fix: `${FIX_CAPACITY} For a PodDisruptionBudget: ${FIX_DRAIN}`,
  category: 'eks-wiring',
  checkov: [],
  check(app: SynthesizedApp): Violation[] {
    return [...capacityViolations(app), ...drainViolations(app)];
  },
};
