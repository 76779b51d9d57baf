/** Shared inputs of the add-on module tests. */
import type { AddonCluster } from '../../../modules/addons/addon';
import { parsePolicy, resourcesOf, type SynthJson } from '../../helpers/synth';

export const CLUSTER: AddonCluster = {
  clusterName: 'retail-dev-eksdemo',
  clusterArn: 'arn:aws:eks:us-east-1:123456789012:cluster/retail-dev-eksdemo',
  accountId: '123456789012',
  partition: 'aws',
};

/** The inline policy statements of the only role in a synth (empty when the inline policy is not created). */
export function inlineStatements(json: SynthJson): Array<Record<string, unknown>> {
  const policies = resourcesOf(json, 'aws_iam_role_policy');
  if (policies.length > 1)
    throw new Error(`expected at most one aws_iam_role_policy, found ${policies.length}`);
  return policies.length === 0 ? [] : parsePolicy(policies[0].policy).Statement;
}

/** The chart values of a helm_release (rendered as one JSON document). */
export function releaseValues(release: Record<string, unknown>): Record<string, unknown> {
  const values = release.values as string[];
  if (values.length !== 1) throw new Error(`expected one values document, found ${values.length}`);
  return JSON.parse(values[0]) as Record<string, unknown>;
}
