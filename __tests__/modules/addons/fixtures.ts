/** Shared inputs of the add-on module tests. */
import type { AddonAwsContext, AddonCluster, AddonClusterContext } from '../../../modules/addons/addon';
import { parsePolicy, resourcesOf, type SynthJson } from '../../helpers/synth';

export const CLUSTER: AddonCluster = {
  clusterName: 'retail-dev-eksdemo',
  clusterArn: 'arn:aws:eks:us-east-1:123456789012:cluster/retail-dev-eksdemo',
  accountId: '123456789012',
  partition: 'aws',
};

/** What the addons stack gives an add-on's AWS part (dev, Kubernetes 1.35). */
export const AWS_CONTEXT: AddonAwsContext = {
  cluster: CLUSTER,
  clusterNameLiteral: 'retail-dev-eksdemo',
  kubernetesVersion: '1.35',
  region: 'us-east-1',
  dependsOn: [],
};

/** What the platform stack gives an add-on's cluster part (no identity, no webhook provider). */
export const CLUSTER_CONTEXT: AddonClusterContext = {
  clusterName: 'retail-dev-eksdemo',
  region: 'us-east-1',
  vpcId: 'vpc-0123456789abcdef0',
  webhooks: [],
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
