/**
 * Gateway VPC endpoints for DynamoDB and S3 on the given route tables: pods' DynamoDB calls and image-layer pulls
 * from ECR's S3 stay in the VPC instead of crossing the NAT gateways (no NAT data charge, no NAT in the path).
 * Gateway endpoints are free; their policy limits them to the account's own resources.
 */
import { Construct } from 'constructs';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { AWS_ACCOUNT_ID, AWS_REGION } from '@cart-platform/service/validators';
import { policyDocument } from './iam-policy';
import { requireFormat } from './validate';

/** The services with gateway endpoints. */
export const GATEWAY_ENDPOINT_SERVICES = ['dynamodb', 's3'] as const;

export interface VpcGatewayEndpointsProps {
  /** The VPC. */
  readonly vpcId: string;
  /** The VPC's region (the endpoint service is `com.amazonaws.<region>.<service>`). */
  readonly region: string;
  /** Route tables that get the endpoints' prefix-list routes (the private subnets'). */
  readonly routeTableIds: readonly string[];
  /** Only resources of this account are reachable through the endpoints (`aws:ResourceAccount`). */
  readonly accountId: string;
  /** Name tag prefix. */
  readonly namePrefix: string;
}

/** A gateway endpoint per service, with an endpoint policy limited to the account's resources. */
export class VpcGatewayEndpoints extends Construct {
  public readonly endpoints: Readonly<Record<(typeof GATEWAY_ENDPOINT_SERVICES)[number], VpcEndpoint>>;

  constructor(scope: Construct, id: string, props: VpcGatewayEndpointsProps) {
    super(scope, id);
    requireFormat('VpcGatewayEndpoints', 'region', AWS_REGION, props.region);
    requireFormat('VpcGatewayEndpoints', 'accountId', AWS_ACCOUNT_ID, props.accountId);
    if (props.routeTableIds.length === 0) {
      throw new Error('VpcGatewayEndpoints routeTableIds: [] — give the private route tables');
    }
    const endpoint = (service: (typeof GATEWAY_ENDPOINT_SERVICES)[number]) =>
      new VpcEndpoint(this, service, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: [...props.routeTableIds],
        policy: accountOnlyPolicy(props.accountId, service === 's3' ? ecrLayerBuckets(props.region) : []),
        tags: { Name: `${props.namePrefix}-${service}` },
      });
    this.endpoints = { dynamodb: endpoint('dynamodb'), s3: endpoint('s3') };
  }
}

/**
 * ECR keeps image layers in an AWS-owned bucket per region; node image pulls read it through the S3 endpoint, so
 * the S3 policy lets GetObject on it through (the layers are still only served to callers ECR authorized).
 */
function ecrLayerBuckets(region: string): string[] {
  return [`arn:aws:s3:::prod-${region}-starport-layer-bucket/*`];
}

/** Every action, but only on resources of `accountId` (and reads of the listed AWS-owned objects). */
function accountOnlyPolicy(accountId: string, awsOwnedObjects: readonly string[]): string {
  return policyDocument([
    {
      sid: 'OnlyThisAccountsResources',
      principals: { AWS: '*' },
      actions: ['*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:ResourceAccount': accountId } },
    },
    ...(awsOwnedObjects.length === 0
      ? []
      : [
          {
            sid: 'EcrImageLayers',
            principals: { AWS: '*' },
            actions: ['s3:GetObject'],
            resources: awsOwnedObjects,
          },
        ]),
  ]);
}
