/**
 * The system node group: a managed node group tainted `CriticalAddonsOnly=true:NoSchedule`, so that only the
 * cluster-critical add-ons (Karpenter, the controllers, CoreDNS) run there, and everything else — the cart — lands
 * on the nodes Karpenter launches. Karpenter must not run on nodes it manages; the system group is the capacity
 * that exists before Karpenter does.
 */

/** The taint of the system node group, as the node group API spells it. */
export const CRITICAL_ADDONS_TAINT = {
  key: 'CriticalAddonsOnly',
  value: 'true',
  effect: 'NO_SCHEDULE',
} as const;

/** A Kubernetes toleration (the API's spelling, as chart values and add-on configurations take it). */
export interface Toleration {
  /** Taint key. */
  readonly key: string;
  /** `Exists` or `Equal`. */
  readonly operator: 'Exists' | 'Equal';
  /** Taint effect (`NoSchedule`…). */
  readonly effect: string;
}

/** The toleration of the system node group's taint (any value). */
export const CRITICAL_ADDONS_TOLERATION: Toleration = {
  key: CRITICAL_ADDONS_TAINT.key,
  operator: 'Exists',
  effect: 'NoSchedule',
};

/** Where a cluster-critical add-on runs: on the system nodes' labels, tolerating their taint. */
export interface SystemNodePlacement {
  /** The system node group's labels (a pod's `nodeSelector`). */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** The toleration of the system nodes' taint. */
  readonly tolerations: readonly Toleration[];
}

/** The label the system node group gets (added to its own labels); the add-ons select it by this. */
export const SYSTEM_NODE_LABELS: Readonly<Record<string, string>> = { 'node-role': 'system' };

/** What a node group is for: `general` takes any pod; `system` runs the cluster-critical add-ons when Karpenter does. */
export const NODE_GROUP_ROLES = ['general', 'system'] as const;
export type NodeGroupRole = (typeof NODE_GROUP_ROLES)[number];

/** A node group's scheduling as configured. */
export interface NodeGroupScheduling {
  /** Its name (for messages). */
  readonly name: string;
  /** What it is for. */
  readonly role: NodeGroupRole;
  /** Its own Kubernetes labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Its own taints, as the node group API spells them. */
  readonly taints: readonly NodeGroupTaint[];
}

/** A taint as the node group API spells it. */
export interface NodeGroupTaint {
  /** Taint key. */
  readonly key: string;
  /** Taint value. */
  readonly value: string;
  /** `NO_SCHEDULE`, `NO_EXECUTE` or `PREFER_NO_SCHEDULE`. */
  readonly effect: 'NO_SCHEDULE' | 'NO_EXECUTE' | 'PREFER_NO_SCHEDULE';
}

/**
 * A group's effective labels and taints: a `system` group gets the system label and the CriticalAddonsOnly taint
 * only while Karpenter runs (`dedicated`); otherwise it is an ordinary group the cart can run on. Both change in
 * place on a managed node group (no replacement).
 */
export function effectiveScheduling(
  group: NodeGroupScheduling,
  dedicated: boolean,
): { labels: Record<string, string>; taints: NodeGroupTaint[] } {
  if (group.role !== 'system' || !dedicated)
    return { labels: { ...group.labels }, taints: [...group.taints] };
  return {
    labels: { ...group.labels, ...SYSTEM_NODE_LABELS },
    taints: [
      ...group.taints.filter((t) => t.key !== CRITICAL_ADDONS_TAINT.key),
      { ...CRITICAL_ADDONS_TAINT },
    ],
  };
}

/**
 * Where the cluster-critical add-ons run: on the system node group while Karpenter runs (`dedicated`), else
 * `undefined` (anywhere, as before).
 */
export function systemNodePlacement(
  groups: readonly Pick<NodeGroupScheduling, 'role'>[],
  dedicated: boolean,
): SystemNodePlacement | undefined {
  if (!dedicated || !groups.some((g) => g.role === 'system')) return undefined;
  return { nodeSelector: { ...SYSTEM_NODE_LABELS }, tolerations: [CRITICAL_ADDONS_TOLERATION] };
}

/** True for a group any pod may be scheduled on (no NoSchedule/NoExecute taint). */
export function isOpenNodeGroup(taints: readonly NodeGroupTaint[]): boolean {
  return taints.every((t) => t.effect === 'PREFER_NO_SCHEDULE');
}
