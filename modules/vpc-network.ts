import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { ZONE_ID } from './availability-zones';
import { cidrContains, cidrsOverlap } from './cidr';

export const NAT_GATEWAY_MODES = ['single', 'per-az'] as const;
export type NatGatewayMode = (typeof NAT_GATEWAY_MODES)[number];

export interface VpcNetworkProps {
  /** Prefix of every Name tag, e.g. `retail-dev`. */
  readonly namePrefix: string;
  /** The VPC's IPv4 CIDR block. */
  readonly vpcCidr: string;
  /** Availability zone ids (`use1-az1`, the same physical zone in every account), one public and one private subnet in each. */
  readonly availabilityZoneIds: readonly string[];
  /** Public subnet CIDRs, one per AZ, inside `vpcCidr`. */
  readonly publicSubnetCidrs: readonly string[];
  /** Private subnet CIDRs, one per AZ, inside `vpcCidr`. */
  readonly privateSubnetCidrs: readonly string[];
  /** EKS cluster names whose load balancers and nodes use these subnets (the `kubernetes.io/cluster/<name>` tag). */
  readonly clusterNames: readonly string[];
  /**
   * `single` shares one NAT gateway (cheaper; egress of every AZ depends on one AZ), `per-az` gives each AZ its own.
   * @default 'single'
   */
  readonly natGateways?: NatGatewayMode;
  /** Extra tags of the private subnets (Karpenter's discovery tag). @default {} */
  readonly privateSubnetTags?: Readonly<Record<string, string>>;
}

/**
 * A two-tier VPC for EKS: public subnets (internet-facing load balancers, NAT) and private subnets (nodes, pods,
 * internal load balancers), tagged so the AWS Load Balancer Controller can discover them.
 */
export class VpcNetwork extends Construct {
  public readonly vpc: Vpc;
  public readonly publicSubnets: readonly Subnet[];
  public readonly privateSubnets: readonly Subnet[];
  public readonly natGateways: readonly NatGateway[];
  public readonly internetGateway: InternetGateway;
  /** The private subnets' route tables (gateway endpoints add their routes there). */
  public readonly privateRouteTables: RouteTable[] = [];

  constructor(scope: Construct, id: string, props: VpcNetworkProps) {
    super(scope, id);
    const natMode = props.natGateways ?? 'single';
    validate(props, natMode);
    const { namePrefix: prefix, availabilityZoneIds: azs } = props;
    const clusterTags = Object.fromEntries(
      props.clusterNames.map((name) => [`kubernetes.io/cluster/${name}`, 'shared']),
    );

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: `${prefix}-vpc` },
    });
    this.internetGateway = new InternetGateway(this, 'igw', {
      vpcId: this.vpc.id,
      tags: { Name: `${prefix}-igw` },
    });

    this.publicSubnets = azs.map(
      (az, i) =>
        new Subnet(this, `public-${az}`, {
          vpcId: this.vpc.id,
          availabilityZoneId: az,
          cidrBlock: props.publicSubnetCidrs[i],
          mapPublicIpOnLaunch: true,
          tags: { Name: `${prefix}-public-${az}`, 'kubernetes.io/role/elb': '1', ...clusterTags },
        }),
    );
    const privateTags = { ...clusterTags, ...props.privateSubnetTags };
    this.privateSubnets = azs.map(
      (az, i) =>
        new Subnet(this, `private-${az}`, {
          vpcId: this.vpc.id,
          availabilityZoneId: az,
          cidrBlock: props.privateSubnetCidrs[i],
          tags: { Name: `${prefix}-private-${az}`, 'kubernetes.io/role/internal-elb': '1', ...privateTags },
        }),
    );

    const publicRoutes = new RouteTable(this, 'public-routes', {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: this.internetGateway.id }],
      tags: { Name: `${prefix}-public` },
    });
    this.publicSubnets.forEach((subnet, i) => {
      new RouteTableAssociation(this, `public-${azs[i]}-routes`, {
        subnetId: subnet.id,
        routeTableId: publicRoutes.id,
      });
    });

    const natAzs = natMode === 'single' ? azs.slice(0, 1) : azs;
    this.natGateways = natAzs.map((az, i) => {
      const eip = new Eip(this, `nat-${az}-eip`, { domain: 'vpc', tags: { Name: `${prefix}-nat-${az}` } });
      return new NatGateway(this, `nat-${az}`, {
        allocationId: eip.id,
        subnetId: this.publicSubnets[i].id,
        tags: { Name: `${prefix}-nat-${az}` },
        dependsOn: [this.internetGateway],
      });
    });
    this.privateSubnets.forEach((subnet, i) => {
      const az = azs[i];
      const nat = this.natGateways[natMode === 'single' ? 0 : i];
      const routes = new RouteTable(this, `private-${az}-routes-table`, {
        vpcId: this.vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
        tags: { Name: `${prefix}-private-${az}` },
      });
      this.privateRouteTables.push(routes);
      new RouteTableAssociation(this, `private-${az}-routes`, {
        subnetId: subnet.id,
        routeTableId: routes.id,
      });
    });
  }
}

function validate(props: VpcNetworkProps, natMode: string): void {
  if (!(NAT_GATEWAY_MODES as readonly string[]).includes(natMode)) {
    throw new Error(
      `VpcNetwork natGateways: "${natMode}" is not allowed; use one of ${NAT_GATEWAY_MODES.join(', ')}`,
    );
  }
  const azCount = props.availabilityZoneIds.length;
  if (azCount < 2) {
    throw new Error(`VpcNetwork availabilityZoneIds: EKS needs subnets in at least 2 AZs, got ${azCount}`);
  }
  for (const zoneId of props.availabilityZoneIds) {
    if (!Token.isUnresolved(zoneId) && !ZONE_ID.test(zoneId)) {
      throw new Error(`VpcNetwork availabilityZoneIds: "${zoneId}" is not a zone id such as use1-az1`);
    }
  }
  const cidrs = [...props.publicSubnetCidrs, ...props.privateSubnetCidrs];
  for (const key of ['publicSubnetCidrs', 'privateSubnetCidrs'] as const) {
    if (props[key].length !== azCount) {
      throw new Error(
        `VpcNetwork ${key}: needs one CIDR per availability zone (${azCount}), got ${props[key].length}`,
      );
    }
  }
  if (Token.isUnresolved(props.vpcCidr) || cidrs.some((c) => Token.isUnresolved(c))) return;
  for (const cidr of cidrs) {
    if (!cidrContains(props.vpcCidr, cidr)) {
      throw new Error(`VpcNetwork subnet CIDR ${cidr} is outside the VPC CIDR ${props.vpcCidr}`);
    }
  }
  cidrs.forEach((a, i) =>
    cidrs.slice(i + 1).forEach((b) => {
      if (cidrsOverlap(a, b)) throw new Error(`VpcNetwork subnet CIDRs ${a} and ${b} overlap`);
    }),
  );
}
