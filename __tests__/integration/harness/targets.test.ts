import { describe, expect, test } from 'vitest';
import type { EmulatorGap } from './emulator-gaps';
import type { StackJson } from './synth';
import {
  instanceCount,
  planApply,
  referencedResources,
  withIgnoredChanges,
  withoutGapOrdering,
} from './targets';

const GAPS: EmulatorGap[] = [
  { type: 'aws_eks_addon', skip: true, reason: 'no add-on API' },
  { type: 'aws_eks_cluster', ignoreChanges: ['access_config'], reason: 'not returned' },
];

function stack(): StackJson {
  return {
    terraform: {},
    data: {
      aws_partition: { partition: {} },
      aws_iam_policy_document: { addon: { statement: [{ resources: ['${aws_eks_addon.cni.arn}'] }] } },
    },
    resource: {
      aws_iam_role: { role: { '//': { metadata: { path: 'x/aws_eks_addon.cni' } }, name: 'r' } },
      aws_eks_cluster: {
        eks: { role_arn: '${aws_iam_role.role.arn}', lifecycle: { ignore_changes: ['tags'] } },
      },
      aws_eks_addon: { cni: { cluster_name: '${aws_eks_cluster.eks.name}' } },
      aws_eks_node_group: {
        nodes: { cluster_name: '${aws_eks_cluster.eks.name}', depends_on: ['aws_eks_addon.cni'] },
      },
      aws_launch_template: { lt: { name: 'lt-${data.aws_partition.partition.partition}' } },
      aws_iam_role_policy: {
        unused: { count: 0, role: '${aws_iam_role.role.id}' },
        addon: { policy: '${data.aws_iam_policy_document.addon.json}' },
      },
    },
  };
}

describe('planApply', () => {
  test('skips gap types and, transitively, what depends on them', () => {
    const plan = planApply(stack(), GAPS);
    expect(plan.skipped).toEqual([
      { address: 'aws_eks_addon.cni', reason: 'no add-on API' },
      { address: 'data.aws_iam_policy_document.addon', reason: 'depends on aws_eks_addon.cni' },
      { address: 'aws_iam_role_policy.addon', reason: 'depends on data.aws_iam_policy_document.addon' },
    ]);
  });

  test('targets every other resource and data source; counts instances', () => {
    const plan = planApply(stack(), GAPS);
    expect(plan.targets).toEqual([
      'aws_iam_role.role',
      'aws_eks_cluster.eks',
      'aws_eks_node_group.nodes',
      'aws_launch_template.lt',
      'aws_iam_role_policy.unused',
      'data.aws_partition.partition',
    ]);
    // role, cluster, node group, launch template; the count = 0 policy has no instance.
    expect(plan.expectedInstances).toBe(4);
  });

  test('a depends_on that only orders a resource after a gap is dropped, not propagated', () => {
    const json = stack();
    const plan = planApply(json, GAPS);
    expect(plan.relaxed).toEqual([{ address: 'aws_eks_node_group.nodes', dropped: ['aws_eks_addon.cni'] }]);
    withoutGapOrdering(json, plan.relaxed);
    expect(json.resource?.aws_eks_node_group.nodes.depends_on).toBeUndefined();
  });

  test('a value reference to a gap still skips the dependent, even with a depends_on on it too', () => {
    const json = stack();
    const nodes = json.resource?.aws_eks_node_group.nodes as Record<string, unknown>;
    nodes.labels = { addon: '${aws_eks_addon.cni.addon_version}' };
    const plan = planApply(json, GAPS);
    expect(plan.skipped).toContainEqual({
      address: 'aws_eks_node_group.nodes',
      reason: 'depends on aws_eks_addon.cni',
    });
    expect(plan.relaxed).toEqual([]);
  });

  test('minimal props: nothing skipped means no targeting at all', () => {
    const plan = planApply(stack(), [{ type: 'aws_s3_bucket', skip: true, reason: 'none here' }]);
    expect(plan.skipped).toEqual([]);
    expect(plan.targets).toEqual([]);
  });

  test('ignore_changes is added to what the resource already ignores', () => {
    const json = stack();
    const plan = planApply(json, GAPS);
    expect(plan.ignored).toEqual([
      { address: 'aws_eks_cluster.eks', attributes: ['access_config'], reason: 'not returned' },
    ]);
    withIgnoredChanges(json, plan.ignored);
    expect(json.resource?.aws_eks_cluster.eks.lifecycle).toEqual({
      ignore_changes: ['tags', 'access_config'],
    });
  });
});

describe('referencedResources', () => {
  const known = new Set(['aws_vpc.main', 'aws_subnet.a-1', 'data.aws_region.current']);

  test.each<[string, Record<string, unknown>, string[]]>([
    ['an interpolation', { vpc_id: '${aws_vpc.main.id}' }, ['aws_vpc.main']],
    ['a function call', { ids: '${join(",", [aws_subnet.a-1.id])}' }, ['aws_subnet.a-1']],
    ['depends_on', { depends_on: ['aws_vpc.main'] }, ['aws_vpc.main']],
    ['a data source', { region: '${data.aws_region.current.name}' }, ['data.aws_region.current']],
    ['plain text naming a resource', { description: 'made after aws_vpc.main' }, []],
    ['cdktf metadata', { '//': { ref: '${aws_vpc.main.id}' } }, []],
    ['a remote state output', { id: '${data.terraform_remote_state.net.outputs.aws_vpc.main}' }, []],
  ])('%s', (_label, config, expected) => {
    expect([...referencedResources(config, known)]).toEqual(expected);
  });
});

test.each<[Record<string, unknown>, number]>([
  [{}, 1],
  [{ count: 0 }, 0],
  [{ count: 3 }, 3],
  [{ count: '${var.n}' }, 1],
  [{ for_each: { a: 1, b: 2 } }, 2],
  [{ for_each: ['x'] }, 1],
])('instanceCount(%j) = %d', (config, expected) => {
  expect(instanceCount(config)).toBe(expected);
});
