/**
 * A PodDisruptionBudget (`policy/v1`): how many of a set of pods must stay up while nodes are drained (upgrades,
 * consolidation). Leave it off for a single replica: a budget of one then blocks every drain.
 */
import type { Construct } from 'constructs';
import {
  PodDisruptionBudgetV1,
  type PodDisruptionBudgetV1Config,
} from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { checkName } from './validation';

export interface PodDisruptionBudgetProps {
  /** Name of the budget. */
  readonly name: string;
  /** Namespace of the budget (the pods'). */
  readonly namespace: string;
  /** Labels of the budget. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Labels of the pods it protects. */
  readonly selector: Readonly<Record<string, string>>;
  /**
   * Pods that must stay available during a voluntary disruption: a count, or a percentage such as `50%`.
   * @default 1
   */
  readonly minAvailable?: number | string;
}

/** A PodDisruptionBudget with `minAvailable`. */
export class PodDisruptionBudget extends PodDisruptionBudgetV1 {
  constructor(scope: Construct, id: string, props: PodDisruptionBudgetProps) {
    super(scope, id, budgetConfig(props));
  }
}

function budgetConfig(props: PodDisruptionBudgetProps): PodDisruptionBudgetV1Config {
  validate(props);
  return {
    metadata: {
      name: props.name,
      namespace: props.namespace,
      ...(props.labels !== undefined && { labels: { ...props.labels } }),
    },
    spec: {
      minAvailable: String(props.minAvailable ?? 1),
      selector: { matchLabels: { ...props.selector } },
    },
  };
}

function validate(props: PodDisruptionBudgetProps): void {
  const owner = 'PodDisruptionBudget';
  checkName(owner, 'name', props.name);
  checkName(owner, 'namespace', props.namespace);
  if (Object.keys(props.selector).length === 0) {
    throw new Error(`${owner} selector: {} would select every pod in the namespace; give the pods' labels`);
  }
  const min = props.minAvailable ?? 1;
  const valid =
    typeof min === 'number'
      ? Number.isInteger(min) && min >= 0
      : /^\d{1,3}%$/.test(min) && Number(min.slice(0, -1)) <= 100;
  if (!valid) {
    throw new Error(
      `${owner} minAvailable: ${JSON.stringify(min)} must be an integer >= 0 or a percentage 0%-100%`,
    );
  }
}
