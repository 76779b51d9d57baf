import { expect, test } from 'vitest';
import { expectedInstances, instanceCount, resourceAddresses, resourceTypes } from './stack-resources';
import type { StackJson } from './synth';

const STACK: StackJson = {
  terraform: {},
  data: { aws_partition: { partition: {} } },
  resource: {
    aws_iam_role: { role: { '//': { metadata: { path: 'x/role' } }, name: 'r' } },
    aws_eks_addon: { cni: {}, dns: { count: 0 } },
    aws_subnet: { private: { for_each: { a: 'x', b: 'y' } } },
  },
};

test('every resource address, data sources left out', () => {
  expect(resourceAddresses(STACK)).toEqual([
    'aws_iam_role.role',
    'aws_eks_addon.cni',
    'aws_eks_addon.dns',
    'aws_subnet.private',
  ]);
  expect(resourceTypes(STACK)).toEqual(['aws_iam_role', 'aws_eks_addon', 'aws_subnet']);
});

test('expectedInstances counts count and for_each instances', () => {
  // role 1 + cni 1 + dns 0 + two subnets
  expect(expectedInstances(STACK)).toBe(4);
  expect(expectedInstances({ terraform: {} })).toBe(0);
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
