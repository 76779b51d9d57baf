import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { VpcGatewayEndpoints } from '../modules/vpc-gateway-endpoints';
import { KARPENTER_DISCOVERY_TAG } from '../modules/addons/karpenter-aws';
import { VpcNetwork } from '../modules/vpc-network';
import { AwsStack, type EnvironmentStackProps } from './environment-stack';

/** What the cluster and add-on stacks need from the network (cross-stack references). */
export interface NetworkOutputs {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
}

/** The VPC: public and private subnets over the configured AZs, NAT, routes and the EKS subnet tags. */
export class NetworkStack extends AwsStack {
  public readonly network: VpcNetwork;
  public readonly gatewayEndpoints: VpcGatewayEndpoints;
  public readonly outputs: NetworkOutputs;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id, props);
    const { network, cluster } = props.config;
    this.network = new VpcNetwork(this, 'vpc', {
      namePrefix: `${props.config.project}-${props.config.environment}`,
      vpcCidr: network.vpcCidr,
      availabilityZoneIds: network.availabilityZoneIds,
      publicSubnetCidrs: network.publicSubnetCidrs,
      privateSubnetCidrs: network.privateSubnetCidrs,
      natGateways: network.natGateways,
      clusterNames: [cluster.name],
      // Karpenter's EC2NodeClass launches nodes into the subnets carrying its discovery tag.
      ...(props.config.addons.karpenter.enabled && {
        privateSubnetTags: { [KARPENTER_DISCOVERY_TAG]: cluster.name },
      }),
    });
    // DynamoDB and S3 (ECR layers) without the NAT gateways; only this account's resources.
    this.gatewayEndpoints = new VpcGatewayEndpoints(this, 'gateway-endpoints', {
      vpcId: this.network.vpc.id,
      region: props.config.region,
      routeTableIds: this.network.privateRouteTables.map((table) => table.id),
      accountId: props.config.account.id,
      namePrefix: `${props.config.project}-${props.config.environment}`,
    });
    this.outputs = {
      vpcId: this.network.vpc.id,
      vpcCidr: this.network.vpc.cidrBlock,
      publicSubnetIds: this.network.publicSubnets.map((s) => s.id),
      privateSubnetIds: this.network.privateSubnets.map((s) => s.id),
    };
    new TerraformOutput(this, 'vpc-id', { value: this.outputs.vpcId });
    new TerraformOutput(this, 'private-subnet-ids', { value: this.outputs.privateSubnetIds });
    new TerraformOutput(this, 'public-subnet-ids', { value: this.outputs.publicSubnetIds });
  }
}
