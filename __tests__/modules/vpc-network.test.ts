import { describe, expect, test } from 'vitest';
import { VpcNetwork, type VpcNetworkProps } from '../../modules/vpc-network';
import { resourcesOf, synthScope } from '../helpers/synth';

const PROPS: VpcNetworkProps = {
  namePrefix: 'retail-dev',
  vpcCidr: '10.0.0.0/16',
  availabilityZoneIds: ['use1-az1', 'use1-az2'],
  publicSubnetCidrs: ['10.0.1.0/24', '10.0.2.0/24'],
  privateSubnetCidrs: ['10.0.11.0/24', '10.0.12.0/24'],
  clusterNames: ['retail-dev-eksdemo'],
};

describe('VpcNetwork', () => {
  test('minimal props: VPC with DNS, subnets per AZ with the EKS and load balancer tags', () => {
    const json = synthScope((scope) => new VpcNetwork(scope, 'vpc', PROPS));
    expect(resourcesOf(json, 'aws_vpc')).toEqual([
      {
        cidr_block: '10.0.0.0/16',
        enable_dns_support: true,
        enable_dns_hostnames: true,
        tags: { Name: 'retail-dev-vpc' },
      },
    ]);
    const subnets = resourcesOf(json, 'aws_subnet');
    const summary = subnets.map((s) => [
      s.availability_zone_id,
      s.cidr_block,
      s.map_public_ip_on_launch ?? false,
    ]);
    expect(summary.sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
      ['use1-az1', '10.0.1.0/24', true],
      ['use1-az1', '10.0.11.0/24', false],
      ['use1-az2', '10.0.12.0/24', false],
      ['use1-az2', '10.0.2.0/24', true],
    ]);
    const tagsOf = (cidr: string) => subnets.find((s) => s.cidr_block === cidr)?.tags;
    expect(tagsOf('10.0.1.0/24')).toEqual({
      Name: 'retail-dev-public-use1-az1',
      'kubernetes.io/role/elb': '1',
      'kubernetes.io/cluster/retail-dev-eksdemo': 'shared',
    });
    expect(tagsOf('10.0.12.0/24')).toEqual({
      Name: 'retail-dev-private-use1-az2',
      'kubernetes.io/role/internal-elb': '1',
      'kubernetes.io/cluster/retail-dev-eksdemo': 'shared',
    });
    expect(resourcesOf(json, 'aws_internet_gateway')).toHaveLength(1);
  });

  test('subnets are placed by zone id, never by zone name', () => {
    const json = synthScope((scope) => new VpcNetwork(scope, 'vpc', PROPS));
    const subnets = resourcesOf(json, 'aws_subnet');
    expect(subnets.map((s) => s.availability_zone)).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('single NAT gateway: both private route tables use the same one', () => {
    const json = synthScope((scope) => new VpcNetwork(scope, 'vpc', PROPS));
    expect(resourcesOf(json, 'aws_nat_gateway')).toHaveLength(1);
    expect(resourcesOf(json, 'aws_eip')).toHaveLength(1);
    const privateRoutes = resourcesOf(json, 'aws_route_table').filter((t) =>
      String((t.tags as Record<string, string>).Name).includes('private'),
    );
    const natIds = privateRoutes.map((t) => (t.route as Array<Record<string, string>>)[0].nat_gateway_id);
    expect(natIds).toHaveLength(2);
    expect(new Set(natIds).size).toBe(1);
    expect(resourcesOf(json, 'aws_route_table_association')).toHaveLength(4);
  });

  test('per-az NAT gateways: one per AZ, each private route table on its own', () => {
    const json = synthScope((scope) => new VpcNetwork(scope, 'vpc', { ...PROPS, natGateways: 'per-az' }));
    const nats = resourcesOf(json, 'aws_nat_gateway');
    expect(nats).toHaveLength(2);
    const privateRoutes = resourcesOf(json, 'aws_route_table').filter((t) =>
      String((t.tags as Record<string, string>).Name).includes('private'),
    );
    expect(
      new Set(privateRoutes.map((t) => (t.route as Array<Record<string, string>>)[0].nat_gateway_id)).size,
    ).toBe(2);
  });

  test('public route table sends 0.0.0.0/0 to the internet gateway', () => {
    const json = synthScope((scope) => new VpcNetwork(scope, 'vpc', PROPS));
    const publicRoutes = resourcesOf(json, 'aws_route_table').find(
      (t) => (t.tags as Record<string, string>).Name === 'retail-dev-public',
    );
    const routes = publicRoutes?.route as Array<Record<string, unknown>>;
    expect(routes).toHaveLength(1);
    expect(routes[0].cidr_block).toBe('0.0.0.0/0');
    expect(routes[0].gateway_id).toMatch(/^\$\{aws_internet_gateway\.vpc_igw_[0-9A-F]+\.id\}$/);
    expect(routes[0].nat_gateway_id).toBeNull();
  });

  test.each<[string, Partial<VpcNetworkProps>, string]>([
    ['one AZ', { availabilityZoneIds: ['use1-az1'] }, 'EKS needs subnets in at least 2 AZs, got 1'],
    [
      'a zone name instead of a zone id',
      { availabilityZoneIds: ['us-east-1a', 'use1-az2'] },
      'VpcNetwork availabilityZoneIds: "us-east-1a" is not a zone id such as use1-az1',
    ],
    [
      'a missing private CIDR',
      { privateSubnetCidrs: ['10.0.11.0/24'] },
      'privateSubnetCidrs: needs one CIDR per availability zone (2), got 1',
    ],
    [
      'a subnet outside the VPC',
      { publicSubnetCidrs: ['10.0.1.0/24', '10.9.2.0/24'] },
      'subnet CIDR 10.9.2.0/24 is outside the VPC CIDR 10.0.0.0/16',
    ],
    [
      'overlapping subnets',
      { privateSubnetCidrs: ['10.0.1.0/25', '10.0.12.0/24'] },
      'subnet CIDRs 10.0.1.0/24 and 10.0.1.0/25 overlap',
    ],
    [
      'an unknown NAT mode',
      { natGateways: 'none' as never },
      'natGateways: "none" is not allowed; use one of single, per-az',
    ],
  ])('throws when %s', (_name, override, message) => {
    expect(() => synthScope((scope) => new VpcNetwork(scope, 'vpc', { ...PROPS, ...override }))).toThrow(
      message,
    );
  });
});
