/**
 * The Terraform addresses of every stateful resource, pinned. A construct id is part of the address users' state
 * depends on: a rename that changes one of these plans to destroy the bucket, the VPC, the cluster or the table
 * and create an empty one. When a rename is intended, move the state (`moveTo`/`moved`) and update this list in
 * the same commit.
 *
 * The subnets' addresses carry the zone *id* (`vpc_private-use1-az1_…`): issue 12 moved the subnets from zone
 * names to zone ids before any account could deploy, so no state held the former `…-us-east-1a_…` addresses and
 * no `moved` block is needed (a name → id move would also change the physical zone in most accounts).
 */
import { TerraformStack } from 'cdktf';
import { describe, expect, test } from 'vitest';
import { buildTestPlatform, synthStack } from '../helpers/synth';

const STATEFUL_TYPES = [
  'aws_s3_bucket',
  'aws_dynamodb_table',
  'aws_kms_key',
  'aws_vpc',
  'aws_subnet',
  'aws_eks_cluster',
  'aws_eks_node_group',
  'aws_ecr_repository',
];

function statefulAddresses(environment: string, overrides?: Parameters<typeof buildTestPlatform>[1]) {
  const { app } = buildTestPlatform(environment, overrides);
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  return stacks.flatMap((stack) => {
    const resources = synthStack(stack).resource ?? {};
    return STATEFUL_TYPES.flatMap((type) =>
      Object.keys(resources[type] ?? {}).map((id) => `${stack.node.id} ${type}.${id}`),
    );
  });
}

const DEV = [
  'state aws_s3_bucket.bucket',
  'network aws_vpc.vpc_6776A399',
  'network aws_subnet.vpc_public-use1-az1_79885318',
  'network aws_subnet.vpc_public-use1-az2_55B286E2',
  'network aws_subnet.vpc_private-use1-az1_0B7E88D0',
  'network aws_subnet.vpc_private-use1-az2_96FDD131',
  'cluster aws_kms_key.eks_secrets-key_5FDBA834',
  'cluster aws_eks_cluster.eks_cluster_55B0C966',
  'cluster aws_eks_node_group.node-group-general_node-group_64F6AEA0',
  'cart aws_dynamodb_table.cart-table_68AA4A6B',
  'cart aws_ecr_repository.cart-repository_789675A5',
  // Added with the observability stack (the alarm topic's key).
  'observability aws_kms_key.alarm-topic_key_E8B5128E',
];

describe('stateful resources keep their Terraform addresses', () => {
  test('dev', () => {
    expect(statefulAddresses('dev').sort()).toEqual([...DEV].sort());
  });

  test('prod (three zone ids, customer-managed table and log keys)', () => {
    expect(statefulAddresses('prod').sort()).toEqual(
      [
        ...DEV,
        'network aws_subnet.vpc_public-use1-az4_D352B944',
        'network aws_subnet.vpc_private-use1-az4_ABA2C3B6',
        'cart aws_kms_key.cart-table_key_0FE89988',
        // Added with the CloudWatch Observability add-on (prod's Container Insights log groups).
        'addons aws_kms_key.cloudwatch-observability_logs-key_07E59E70',
      ].sort(),
    );
  });

  test('the optional lock table', () => {
    expect(statefulAddresses('dev', { state: { lockTableName: 'tf-locks' } })).toContain(
      'state aws_dynamodb_table.lock-table',
    );
  });
});
