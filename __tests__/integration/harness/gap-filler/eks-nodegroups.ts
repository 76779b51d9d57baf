/** EKS managed node groups: what moto reports about them, and the version update it lacks. */
import type { Correction, FillerContext } from './correction';
import { addAccessEntry } from './eks-access-entries';
import {
  clusterArnOf,
  describedCluster,
  parseClusterArn,
  withCluster,
  type NodegroupFacts,
} from './eks-store';
import { json, jsonBody, pick, type FillerRequest, type Reply } from './http';
import { passThrough, relay, replyJson, succeeded, type UpstreamReply } from './upstream';

type Json = Record<string, unknown>;

const NODEGROUP = /^\/clusters\/(?<cluster>[^/]+)\/node-groups\/(?<nodegroup>[^/]+)$/;
/** What AWS reports for a node group created without an update configuration. */
const DEFAULT_UPDATE_CONFIG = { maxUnavailable: 1 };

/** A node group as AWS describes it: moto's answer corrected with what the filler knows. */
export function correctedNodegroup(nodegroup: Json, facts: NodegroupFacts | undefined): Json {
  if (facts === undefined) return nodegroup;
  const result: Json = { ...nodegroup };
  if (facts.remoteAccessRequested === false) {
    delete result.remoteAccess;
    const { remoteAccessSecurityGroup: _invented, ...resources } = (result.resources ?? {}) as Json;
    result.resources = resources;
  }
  if (facts.updateConfig !== undefined) result.updateConfig = facts.updateConfig;
  if (facts.version !== undefined) {
    const { launchTemplate, ...versions } = facts.version;
    Object.assign(result, versions);
    if (launchTemplate !== undefined) {
      result.launchTemplate = { ...(result.launchTemplate as Json), ...(launchTemplate as Json) };
    }
  }
  if (facts.tags !== undefined) result.tags = facts.tags;
  return result;
}

/** moto's `{ nodegroup }` answer, corrected. */
function corrected(context: FillerContext, reply: UpstreamReply): Reply {
  const nodegroup = replyJson<{ nodegroup?: Json }>(reply)?.nodegroup;
  if (!succeeded(reply) || typeof nodegroup?.nodegroupArn !== 'string') return relay(reply);
  const facts = context.eks
    .existing(clusterArnOf(nodegroup.nodegroupArn))
    ?.nodegroups.get(String(nodegroup.nodegroupName));
  if (facts === undefined) return passThrough(reply);
  return relay(reply, JSON.stringify({ nodegroup: correctedNodegroup(nodegroup, facts) }));
}

/**
 * moto answers every node group without remote access with `remoteAccess: { ec2SshKey: "eksKeypair" }` (and a
 * remote-access security group), which the provider reads as a changed ForceNew block: a replacement on every
 * plan. Its CreateNodegroup drops `updateConfig`, so the configured `update_config` never reads back. The filler
 * remembers what CreateNodegroup / UpdateNodegroupConfig / UpdateNodegroupVersion asked for and corrects
 * Create/Describe/DeleteNodegroup. Like EKS in an access-entry authentication mode, it also gives the node role
 * an EC2_LINUX (or EC2_WINDOWS) access entry when the node group is created.
 */
export const EKS_NODEGROUPS: Correction = {
  name: 'eks-nodegroups',
  terraformTypes: ['aws_eks_node_group'],
  moto: 'invents remoteAccess { ec2SshKey: "eksKeypair" } for every node group and drops CreateNodegroup\'s updateConfig; has no UpdateNodegroupVersion',
  fix: 'removes the invented remoteAccess, reports the updateConfig sent; answers UpdateNodegroupVersion; records node group updates',
  routes: (context) => [
    {
      operation: 'CreateNodegroup',
      service: 'eks',
      method: 'POST',
      path: /^\/clusters\/(?<cluster>[^/]+)\/node-groups$/,
      handle: (request) => createNodegroup(context, request),
    },
    {
      operation: 'DescribeNodegroup',
      service: 'eks',
      method: 'GET',
      path: NODEGROUP,
      handle: async (request) => corrected(context, await context.upstream.forward(request)),
    },
    {
      operation: 'DeleteNodegroup',
      service: 'eks',
      method: 'DELETE',
      path: NODEGROUP,
      handle: async (request, { nodegroup }) => {
        const reply = await context.upstream.forward(request);
        const answer = corrected(context, reply);
        const arn = replyJson<{ nodegroup?: Json }>(reply)?.nodegroup?.nodegroupArn;
        if (succeeded(reply) && typeof arn === 'string') {
          context.eks.existing(clusterArnOf(arn))?.nodegroups.delete(nodegroup);
        }
        return answer;
      },
    },
    {
      operation: 'UpdateNodegroupConfig',
      service: 'eks',
      method: 'POST',
      path: /^\/clusters\/(?<cluster>[^/]+)\/node-groups\/(?<nodegroup>[^/]+)\/update-config$/,
      handle: (request, { cluster, nodegroup }) =>
        updateNodegroupConfig(context, request, cluster, nodegroup),
    },
    {
      operation: 'UpdateNodegroupVersion',
      service: 'eks',
      method: 'POST',
      path: /^\/clusters\/(?<cluster>[^/]+)\/node-groups\/(?<nodegroup>[^/]+)\/update-version$/,
      handle: (request, { cluster, nodegroup }) =>
        updateNodegroupVersion(context, request, cluster, nodegroup),
    },
  ],
};

async function createNodegroup(context: FillerContext, request: FillerRequest): Promise<Reply> {
  const body = jsonBody<Json>(request);
  const reply = await context.upstream.forward(request);
  const nodegroup = replyJson<{ nodegroup?: Json }>(reply)?.nodegroup;
  if (!succeeded(reply) || typeof nodegroup?.nodegroupArn !== 'string') return relay(reply);
  const clusterArn = clusterArnOf(nodegroup.nodegroupArn);
  const state = context.eks.state(clusterArn);
  state.nodegroups.set(String(nodegroup.nodegroupName), {
    remoteAccessRequested: body.remoteAccess !== undefined,
    updateConfig: (body.updateConfig as Json | undefined) ?? DEFAULT_UPDATE_CONFIG,
  });
  const mode = (describedCluster({}, state.fields).accessConfig as Json).authenticationMode;
  const role = String(body.nodeRole);
  if (mode !== 'CONFIG_MAP' && !state.accessEntries.has(role)) {
    const type = String(body.amiType ?? '').includes('WINDOWS') ? 'EC2_WINDOWS' : 'EC2_LINUX';
    const cluster = parseClusterArn(clusterArn, String(nodegroup.clusterName));
    addAccessEntry(state, cluster, { principalArn: role, type });
  }
  return corrected(context, reply);
}

async function updateNodegroupConfig(
  context: FillerContext,
  request: FillerRequest,
  cluster: string,
  name: string,
): Promise<Reply> {
  const reply = await context.upstream.forward(request);
  const update = replyJson<{ update?: Json }>(reply)?.update;
  if (!succeeded(reply) || update === undefined) return relay(reply);
  return withCluster(context, request, cluster, (ref, state) => {
    const { updateConfig } = jsonBody<Json>(request);
    const facts = state.nodegroups.get(name) ?? {};
    if (updateConfig !== undefined) facts.updateConfig = updateConfig as Json;
    state.nodegroups.set(name, facts);
    // moto's update is complete at once, but it cannot be described: record it.
    context.eks.recordUpdate(ref.arn, {
      id: String(update.id),
      type: String(update.type),
      params: (update.params ?? []) as Json[],
      nodegroupName: name,
    });
    return relay(reply);
  });
}

async function updateNodegroupVersion(
  context: FillerContext,
  request: FillerRequest,
  cluster: string,
  name: string,
): Promise<Reply> {
  const described = await context.upstream.call(request, 'eks', {
    method: 'GET',
    path: `/clusters/${encodeURIComponent(cluster)}/node-groups/${encodeURIComponent(name)}`,
  });
  if (!succeeded(described)) return relay(described);
  return withCluster(context, request, cluster, (ref, state) => {
    const body = jsonBody<Json>(request);
    const facts = state.nodegroups.get(name) ?? {};
    const version = pick(body, ['version', 'releaseVersion', 'launchTemplate']);
    facts.version = { ...facts.version, ...version };
    state.nodegroups.set(name, facts);
    const update = context.eks.recordUpdate(ref.arn, {
      type: 'VersionUpdate',
      nodegroupName: name,
      params: Object.entries(version).map(([type, value]) => ({
        type: type[0].toUpperCase() + type.slice(1),
        value: typeof value === 'string' ? value : JSON.stringify(value),
      })),
    });
    return json(200, { update });
  });
}
