import type { TerraformStack } from 'cdktf';
import { describe, expect, test } from 'vitest';
import { buildTestPlatform, resourcesOf, synthStack } from '../helpers/synth';

describe('NetworkStack', () => {
  test('dev: guide CIDRs over two AZs with one NAT gateway, and the outputs the cluster reads', () => {
    const { stacks } = buildTestPlatform('dev');
    const json = synthStack(stacks.network as TerraformStack);
    expect(resourcesOf(json, 'aws_vpc').map((v) => v.cidr_block)).toEqual(['10.0.0.0/16']);
    expect(
      resourcesOf(json, 'aws_subnet')
        .map((s) => s.cidr_block)
        .sort(),
    ).toEqual(['10.0.1.0/24', '10.0.11.0/24', '10.0.12.0/24', '10.0.2.0/24']);
    expect(resourcesOf(json, 'aws_nat_gateway')).toHaveLength(1);
    expect(Object.keys(json.output ?? {}).sort()).toEqual([
      'private-subnet-ids',
      'public-subnet-ids',
      'vpc-id',
    ]);
  });

  test('prod: three AZs with a NAT gateway each', () => {
    const { stacks } = buildTestPlatform('prod');
    const json = synthStack(stacks.network as TerraformStack);
    expect(resourcesOf(json, 'aws_nat_gateway')).toHaveLength(3);
    expect(resourcesOf(json, 'aws_subnet')).toHaveLength(6);
    const tags = resourcesOf(json, 'aws_subnet').map((s) => s.tags as Record<string, string>);
    expect(tags.every((t) => t['kubernetes.io/cluster/retail-prod-eks'] === 'shared')).toBe(true);
  });
});

describe('NetworkStack gateway endpoints', () => {
  test('DynamoDB and S3 gateway endpoints on every private route table, limited to the account', () => {
    const { stacks } = buildTestPlatform('prod');
    const json = synthStack(stacks.network as TerraformStack);
    type Endpoint = {
      service_name: string;
      vpc_endpoint_type: string;
      route_table_ids: string[];
      policy: string;
    };
    const endpoints = resourcesOf(json, 'aws_vpc_endpoint') as Endpoint[];
    expect(endpoints.map((e) => [e.service_name, e.vpc_endpoint_type]).sort()).toEqual([
      ['com.amazonaws.us-east-1.dynamodb', 'Gateway'],
      ['com.amazonaws.us-east-1.s3', 'Gateway'],
    ]);
    for (const endpoint of endpoints) {
      expect(endpoint.route_table_ids).toHaveLength(3);
      const policy = JSON.parse(endpoint.policy) as { Statement: { Condition?: unknown }[] };
      expect(policy.Statement[0].Condition).toEqual({
        StringEquals: { 'aws:ResourceAccount': '000000000000' },
      });
    }
    const s3 = JSON.parse(endpoints.find((e) => e.service_name.endsWith('.s3'))!.policy) as {
      Statement: { Action: unknown; Resource: unknown }[];
    };
    expect(s3.Statement[1]).toMatchObject({
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*',
    });
  });
});
