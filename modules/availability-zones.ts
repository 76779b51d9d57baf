/**
 * Availability zones by id. Zone *names* (`us-east-1a`) map to different physical zones in each account; zone *ids*
 * (`use1-az1`) are the same physical zone everywhere, so a config written once means the same zones in every
 * account — and the zones EKS refuses can be refused before `CreateCluster` is called.
 */

/** The zone-id prefix of each commercial region (AWS: "AZ IDs for your AWS resources", e.g. `use1-az1`). */
export const ZONE_ID_PREFIX_OF_REGION: Readonly<Record<string, string>> = {
  'us-east-1': 'use1',
  'us-east-2': 'use2',
  'us-west-1': 'usw1',
  'us-west-2': 'usw2',
  'ca-central-1': 'cac1',
  'ca-west-1': 'caw1',
  'sa-east-1': 'sae1',
  'mx-central-1': 'mxc1',
  'eu-west-1': 'euw1',
  'eu-west-2': 'euw2',
  'eu-west-3': 'euw3',
  'eu-central-1': 'euc1',
  'eu-central-2': 'euc2',
  'eu-north-1': 'eun1',
  'eu-south-1': 'eus1',
  'eu-south-2': 'eus2',
  'ap-south-1': 'aps1',
  'ap-south-2': 'aps2',
  'ap-northeast-1': 'apne1',
  'ap-northeast-2': 'apne2',
  'ap-northeast-3': 'apne3',
  'ap-southeast-1': 'apse1',
  'ap-southeast-2': 'apse2',
  'ap-southeast-3': 'apse3',
  'ap-southeast-4': 'apse4',
  'ap-southeast-5': 'apse5',
  'ap-east-1': 'ape1',
  'me-south-1': 'mes1',
  'me-central-1': 'mec1',
  'af-south-1': 'afs1',
  'il-central-1': 'ilc1',
};

/**
 * Zone ids where EKS does not place a control plane: `CreateCluster` with a subnet there fails with
 * `UnsupportedAvailabilityZoneException`. Source: Amazon EKS User Guide, "View Amazon EKS networking requirements
 * for VPC and subnets", subnet requirements
 * (https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-subnets), and the AWS
 * re:Post knowledge-center article https://repost.aws/knowledge-center/eks-cluster-creation-errors.
 */
export const EKS_UNSUPPORTED_ZONE_IDS: Readonly<Record<string, string>> = {
  'use1-az3': 'us-east-1',
  'usw1-az2': 'us-west-1',
  'cac1-az3': 'ca-central-1',
};

/** A zone id: `<region prefix>-az<n>`. */
export const ZONE_ID = /^[a-z]{3,5}\d-az\d{1,2}$/;

/** Why `zoneId` cannot host subnets of an EKS cluster in `region` (a message to follow the id); undefined when it can. */
export function zoneIdProblem(region: string, zoneId: string): string | undefined {
  if (!ZONE_ID.test(zoneId)) return 'must be an availability zone id such as use1-az1';
  const prefix = ZONE_ID_PREFIX_OF_REGION[region];
  if (prefix === undefined) {
    return `region ${region} has no known zone-id prefix; add it to ZONE_ID_PREFIX_OF_REGION (modules/availability-zones.ts)`;
  }
  if (!zoneId.startsWith(`${prefix}-`)) {
    return `must be a zone of ${region} (its zone ids start with ${prefix}-)`;
  }
  if (EKS_UNSUPPORTED_ZONE_IDS[zoneId] !== undefined) {
    return `is a zone where EKS places no control plane (CreateCluster fails with UnsupportedAvailabilityZoneException); pick another zone id of ${region}`;
  }
  return undefined;
}
