/**
 * What the emulator still holds that the stacks could have created — after destroy, every list must be empty.
 * Uses the AWS SDK pointed at the emulator with dummy credentials.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeAddressesCommand,
  DescribeInternetGatewaysCommand,
  DescribeLaunchTemplatesCommand,
  DescribeNatGatewaysCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import {
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListPoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { moreInventory } from './emulator-inventory-more';

export interface InventoryOptions {
  readonly endpoint: string;
  readonly region: string;
  /** IAM role and policy name prefixes that mark ours (moto has no roles of its own, but be precise). */
  readonly iamPrefixes: readonly string[];
}

/** Resource kind → identifiers still present. */
export type Inventory = Record<string, string[]>;

export async function emulatorInventory(options: InventoryOptions): Promise<Inventory> {
  const config = {
    endpoint: options.endpoint,
    region: options.region,
    credentials: { accessKeyId: 'emulator', secretAccessKey: 'emulator' },
    forcePathStyle: true,
    maxAttempts: 2,
  };
  const ec2 = new EC2Client(config);
  const eks = new EKSClient(config);
  const iam = new IAMClient(config);
  const s3 = new S3Client(config);
  const dynamodb = new DynamoDBClient(config);
  const ours = (name: string | undefined) => options.iamPrefixes.some((p) => name?.startsWith(p) ?? false);
  try {
    const [
      vpcs,
      subnets,
      natGateways,
      addresses,
      launchTemplates,
      clusters,
      roles,
      policies,
      oidc,
      buckets,
      tables,
      gateways,
      groups,
      more,
    ] = await Promise.all([
      ec2.send(new DescribeVpcsCommand({})),
      ec2.send(new DescribeSubnetsCommand({})),
      ec2.send(new DescribeNatGatewaysCommand({})),
      ec2.send(new DescribeAddressesCommand({})),
      ec2.send(new DescribeLaunchTemplatesCommand({})),
      eks.send(new ListClustersCommand({})),
      iam.send(new ListRolesCommand({ MaxItems: 1000 })),
      iam.send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 1000 })),
      iam.send(new ListOpenIDConnectProvidersCommand({})),
      s3.send(new ListBucketsCommand({})),
      dynamodb.send(new ListTablesCommand({})),
      ec2.send(new DescribeInternetGatewaysCommand({})),
      ec2.send(new DescribeSecurityGroupsCommand({})),
      moreInventory(options.endpoint, options.region),
    ]);
    // moto's default VPC and its default subnets are the emulator's own.
    const defaultVpcs = new Set((vpcs.Vpcs ?? []).filter((v) => v.IsDefault).map((v) => v.VpcId));
    return {
      vpcs: (vpcs.Vpcs ?? []).filter((v) => !v.IsDefault).map((v) => v.VpcId ?? '?'),
      subnets: (subnets.Subnets ?? []).filter((s) => !defaultVpcs.has(s.VpcId)).map((s) => s.SubnetId ?? '?'),
      natGateways: (natGateways.NatGateways ?? [])
        .filter((n) => n.State !== 'deleted')
        .map((n) => n.NatGatewayId ?? '?'),
      elasticIps: (addresses.Addresses ?? []).map((a) => a.AllocationId ?? '?'),
      launchTemplates: (launchTemplates.LaunchTemplates ?? []).map((t) => t.LaunchTemplateName ?? '?'),
      eksClusters: clusters.clusters ?? [],
      iamRoles: (roles.Roles ?? []).filter((r) => ours(r.RoleName)).map((r) => r.RoleName ?? '?'),
      iamPolicies: (policies.Policies ?? [])
        .filter((p) => ours(p.PolicyName))
        .map((p) => p.PolicyName ?? '?'),
      oidcProviders: (oidc.OpenIDConnectProviderList ?? []).map((p) => p.Arn ?? '?'),
      s3Buckets: (buckets.Buckets ?? []).map((b) => b.Name ?? '?'),
      dynamodbTables: tables.TableNames ?? [],
      internetGateways: (gateways.InternetGateways ?? [])
        .filter((g) => !(g.Attachments ?? []).some((a) => defaultVpcs.has(a.VpcId)))
        .map((g) => g.InternetGatewayId ?? '?'),
      securityGroups: (groups.SecurityGroups ?? [])
        .filter((g) => !defaultVpcs.has(g.VpcId) && g.GroupName !== 'default')
        .map((g) => g.GroupId ?? '?'),
      ...more,
    };
  } finally {
    for (const client of [ec2, eks, iam, s3, dynamodb]) client.destroy();
  }
}

/** Only the kinds that still hold something. */
export function leftovers(inventory: Inventory): Inventory {
  return Object.fromEntries(Object.entries(inventory).filter(([, ids]) => ids.length > 0));
}
