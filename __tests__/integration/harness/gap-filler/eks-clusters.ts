/** EKS clusters: the configuration moto drops, UpdateClusterConfig's answer, version updates, DescribeUpdate. */
import type { Correction, FillerContext } from './correction';
import { bootstrapCreatorAccess } from './eks-access-entries';
import { describedCluster, findCluster, isCluster, type ClusterState } from './eks-store';
import {
  invalidParameter,
  json,
  jsonBody,
  notFound,
  page,
  pick,
  type FillerRequest,
  type Reply,
} from './http';
import { relay, replyJson, succeeded, type UpstreamReply } from './upstream';

type Json = Record<string, unknown>;

const CLUSTER = /^\/clusters\/(?<cluster>[^/]+)$/;
/** CreateCluster/UpdateClusterConfig fields moto ignores (DescribeCluster never returns them). */
const DROPPED_FIELDS = [
  'accessConfig',
  'upgradePolicy',
  'zonalShiftConfig',
  'computeConfig',
  'storageConfig',
];
/** UpdateClusterConfig fields moto does apply. */
const MOTO_FIELDS = ['resourcesVpcConfig', 'logging', 'kubernetesNetworkConfig', 'remoteNetworkConfig'];
/** Authentication modes in the only order EKS lets a cluster move through (never back). */
const AUTHENTICATION_MODES = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];

/** moto's `{ cluster }` answer with the remembered fields merged in. */
function withFields(reply: UpstreamReply, state: ClusterState | undefined): Reply {
  const body = replyJson<{ cluster?: Json }>(reply);
  if (!succeeded(reply) || body?.cluster === undefined) return relay(reply);
  return relay(
    reply,
    JSON.stringify({ ...body, cluster: describedCluster(body.cluster, state?.fields ?? {}) }),
  );
}

/**
 * moto 5.2.1 stores none of accessConfig, upgradePolicy, zonalShiftConfig, computeConfig or storageConfig, so
 * DescribeCluster reads back as if they had never been set (a replacement planned on every run for access_config).
 * Its UpdateClusterConfig answers `{ cluster }` instead of `{ update }` (the provider then polls DescribeUpdate
 * with no id) and replaces the whole resourcesVpcConfig with the request's (an endpoint-access change loses the
 * subnets). The filler remembers the dropped fields, merges them into every cluster answer, and answers
 * UpdateClusterConfig itself: moto's fields go to moto (the VPC config merged with the current one first).
 * moto also gives every cluster the same OIDC issuer (drawn once per process): the filler answers each cluster's
 * own (`clusterIssuer`), so a second environment's IAM OIDC provider does not collide with the first's.
 */
export const EKS_CLUSTER_FIELDS: Correction = {
  name: 'eks-cluster-fields',
  terraformTypes: ['aws_eks_cluster'],
  moto: 'drops accessConfig, upgradePolicy, zonalShiftConfig, computeConfig, storageConfig; creates no cluster security group; UpdateClusterConfig answers no update and overwrites the whole VPC config; every cluster gets the same OIDC issuer',
  fix: "remembers those fields and merges them into Create/Describe/DeleteCluster, with an OIDC issuer of the cluster's own (derived from its ARN); creates the cluster security group in the VPC (deleted with the cluster); answers UpdateClusterConfig with an update",
  routes: (context) => [
    {
      operation: 'CreateCluster',
      service: 'eks',
      method: 'POST',
      path: /^\/clusters$/,
      handle: (request) => createCluster(context, request),
    },
    {
      operation: 'DescribeCluster',
      service: 'eks',
      method: 'GET',
      path: CLUSTER,
      handle: async (request) => {
        const reply = await context.upstream.forward(request);
        const arn = replyJson<{ cluster?: Json }>(reply)?.cluster?.arn;
        return withFields(reply, typeof arn === 'string' ? context.eks.existing(arn) : undefined);
      },
    },
    {
      operation: 'DeleteCluster',
      service: 'eks',
      method: 'DELETE',
      path: CLUSTER,
      handle: async (request) => {
        const reply = await context.upstream.forward(request);
        const arn = replyJson<{ cluster?: Json }>(reply)?.cluster?.arn;
        const state = typeof arn === 'string' ? context.eks.existing(arn) : undefined;
        // Its add-ons, associations, access entries and cluster security group go with it, as on AWS.
        if (succeeded(reply) && typeof arn === 'string') {
          await deleteClusterSecurityGroup(context, request, state?.fields.clusterSecurityGroupId);
          context.eks.forget(arn);
        }
        return withFields(reply, state);
      },
    },
    {
      operation: 'UpdateClusterConfig',
      service: 'eks',
      method: 'POST',
      path: /^\/clusters\/(?<cluster>[^/]+)\/update-config$/,
      handle: (request, { cluster }) => updateClusterConfig(context, request, cluster),
    },
  ],
};

async function createCluster(context: FillerContext, request: FillerRequest): Promise<Reply> {
  const body = jsonBody(request);
  const reply = await context.upstream.forward(request);
  const arn = replyJson<{ cluster?: Json }>(reply)?.cluster?.arn;
  if (!succeeded(reply) || typeof arn !== 'string') return relay(reply);
  context.eks.forget(arn);
  const state = context.eks.state(arn);
  Object.assign(state.fields, pick(body, DROPPED_FIELDS));
  const name = replyJson<{ cluster?: Json }>(reply)?.cluster?.name;
  const securityGroupId = await createClusterSecurityGroup(context, request, body, String(name));
  if (securityGroupId !== undefined) state.fields.clusterSecurityGroupId = securityGroupId;
  const access = describedCluster({}, state.fields).accessConfig as Json;
  if (
    access.authenticationMode !== 'CONFIG_MAP' &&
    access.bootstrapClusterCreatorAdminPermissions !== false
  ) {
    await bootstrapCreatorAccess(context, request, arn);
  }
  return withFields(reply, state);
}

/** An EC2 query-protocol call of the filler's own (moto's EC2). */
function ec2(context: FillerContext, request: FillerRequest, parameters: Record<string, string>) {
  return context.upstream.call(request, 'ec2', {
    method: 'POST',
    path: '/',
    contentType: 'application/x-www-form-urlencoded',
    body: new URLSearchParams({ ...parameters, Version: '2016-11-15' }).toString(),
  });
}

/**
 * moto creates no cluster security group (its clusterSecurityGroupId is empty, so tagging it fails with InvalidID).
 * EKS creates one in the cluster's VPC: the filler creates it in moto's EC2 (in the VPC of the first subnet) and
 * deletes it with the cluster. Subnets moto does not know (unit tests' fakes): no group, as before.
 */
async function createClusterSecurityGroup(
  context: FillerContext,
  request: FillerRequest,
  body: Json,
  name: string,
): Promise<string | undefined> {
  const subnetId = ((body.resourcesVpcConfig as Json | undefined)?.subnetIds as string[] | undefined)?.[0];
  if (subnetId === undefined) return undefined;
  const subnets = await ec2(context, request, { Action: 'DescribeSubnets', 'SubnetId.1': subnetId });
  const vpcId = /<vpcId>([^<]+)<\/vpcId>/.exec(subnets.body.toString('utf8'))?.[1];
  if (!succeeded(subnets) || vpcId === undefined) return undefined;
  const created = await ec2(context, request, {
    Action: 'CreateSecurityGroup',
    GroupName: `eks-cluster-sg-${name}`,
    GroupDescription:
      'EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.',
    VpcId: vpcId,
  });
  return succeeded(created)
    ? /<groupId>([^<]+)<\/groupId>/.exec(created.body.toString('utf8'))?.[1]
    : undefined;
}

async function deleteClusterSecurityGroup(
  context: FillerContext,
  request: FillerRequest,
  groupId: unknown,
): Promise<void> {
  if (typeof groupId === 'string')
    await ec2(context, request, { Action: 'DeleteSecurityGroup', GroupId: groupId });
}

async function updateClusterConfig(
  context: FillerContext,
  request: FillerRequest,
  name: string,
): Promise<Reply> {
  const found = await findCluster(context, request, name);
  if (!isCluster(found)) return found;
  const body = jsonBody(request);
  const state = context.eks.state(found.arn);
  const mode = (body.accessConfig as Json | undefined)?.authenticationMode;
  if (typeof mode === 'string') {
    const current = describedCluster({}, state.fields);
    const from = String((current.accessConfig as Json).authenticationMode);
    if (AUTHENTICATION_MODES.indexOf(mode) < AUTHENTICATION_MODES.indexOf(from)) {
      return invalidParameter(`Unsupported authentication mode update from ${from} to ${mode}`, {
        clusterName: name,
      });
    }
  }
  const forMoto = pick(body, MOTO_FIELDS);
  if (forMoto.resourcesVpcConfig !== undefined) {
    forMoto.resourcesVpcConfig = {
      ...(found.described.resourcesVpcConfig as Json),
      ...(forMoto.resourcesVpcConfig as Json),
    };
  }
  if (Object.keys(forMoto).length > 0) {
    const reply = await context.upstream.forward(request, JSON.stringify({ ...forMoto, name }));
    if (!succeeded(reply)) return relay(reply);
  }
  for (const [field, value] of Object.entries(pick(body, DROPPED_FIELDS))) {
    state.fields[field] = { ...(state.fields[field] as Json | undefined), ...(value as Json) };
  }
  const update = context.eks.recordUpdate(found.arn, {
    type: updateType(body),
    params: Object.entries(pick(body, [...MOTO_FIELDS, ...DROPPED_FIELDS])).map(([type, value]) => ({
      type,
      value: JSON.stringify(value),
    })),
  });
  return json(200, { update });
}

/** The update type AWS reports for the first field an UpdateClusterConfig request changes. */
function updateType(body: Json): string {
  const types: [string, string][] = [
    ['accessConfig', 'AccessConfigUpdate'],
    ['upgradePolicy', 'UpgradePolicyUpdate'],
    ['zonalShiftConfig', 'ZonalShiftConfigUpdate'],
    ['logging', 'LoggingUpdate'],
    ['resourcesVpcConfig', 'EndpointAccessUpdate'],
    ['remoteNetworkConfig', 'RemoteNetworkConfigUpdate'],
  ];
  return types.find(([field]) => body[field] !== undefined)?.[1] ?? 'AutoModeUpdate';
}

/**
 * moto has no UpdateClusterVersion, DescribeUpdate or ListUpdates: every update the provider starts (cluster
 * version or configuration, node group configuration or version, add-on) is then polled through an API that
 * answers 404. The filler answers them from the updates it recorded (moto's own UpdateNodegroupConfig update
 * included); every update completes at once.
 */
export const EKS_UPDATES: Correction = {
  name: 'eks-updates',
  terraformTypes: [],
  moto: 'has no UpdateClusterVersion, DescribeUpdate or ListUpdates (404)',
  fix: 'records every update (completed at once) and answers DescribeUpdate/ListUpdates; UpdateClusterVersion one minor at a time',
  routes: (context) => [
    {
      operation: 'UpdateClusterVersion',
      service: 'eks',
      method: 'POST',
      path: /^\/clusters\/(?<cluster>[^/]+)\/updates$/,
      handle: (request, { cluster }) => updateClusterVersion(context, request, cluster),
    },
    {
      operation: 'DescribeUpdate',
      service: 'eks',
      method: 'GET',
      path: /^\/clusters\/(?<cluster>[^/]+)\/updates\/(?<update>[^/]+)$/,
      handle: async (request, { cluster, update }) => {
        const found = await findCluster(context, request, cluster);
        if (!isCluster(found)) return found;
        const recorded = context.eks.existing(found.arn)?.updates.get(update);
        if (recorded === undefined)
          return notFound(`No update found for ID: ${update}`, { clusterName: cluster });
        return json(200, { update: recorded.update });
      },
    },
    {
      operation: 'ListUpdates',
      service: 'eks',
      method: 'GET',
      path: /^\/clusters\/(?<cluster>[^/]+)\/updates$/,
      handle: async (request, { cluster }) => {
        const found = await findCluster(context, request, cluster);
        if (!isCluster(found)) return found;
        const nodegroupName = request.url.searchParams.get('nodegroupName') ?? undefined;
        const addonName = request.url.searchParams.get('addonName') ?? undefined;
        const ids = [...(context.eks.existing(found.arn)?.updates.values() ?? [])]
          .filter((u) => u.nodegroupName === nodegroupName && u.addonName === addonName)
          .map((u) => String(u.update.id));
        const { items, nextToken } = page(ids, request.url);
        return json(200, { updateIds: items, nextToken });
      },
    },
  ],
};

async function updateClusterVersion(
  context: FillerContext,
  request: FillerRequest,
  name: string,
): Promise<Reply> {
  const found = await findCluster(context, request, name);
  if (!isCluster(found)) return found;
  const state = context.eks.state(found.arn);
  const { version } = jsonBody<{ version?: string }>(request);
  const current = String(state.fields.version ?? found.described.version);
  const [major, minor] = current.split('.').map(Number);
  if (version !== `${major}.${minor + 1}`) {
    return invalidParameter(`Unsupported Kubernetes minor version update from ${current} to ${version}`, {
      clusterName: name,
    });
  }
  state.fields.version = version;
  const update = context.eks.recordUpdate(found.arn, {
    type: 'VersionUpdate',
    params: [
      { type: 'Version', value: version },
      { type: 'PlatformVersion', value: String(found.described.platformVersion) },
    ],
  });
  return json(200, { update });
}
