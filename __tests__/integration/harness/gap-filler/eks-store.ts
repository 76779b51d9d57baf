/**
 * What the filler keeps per EKS cluster (keyed by the cluster ARN moto gave it): the objects moto has no API for
 * (add-ons, Pod Identity associations, access entries), the request fields moto drops, and the updates it
 * answers DescribeUpdate with. A cluster's entry goes when moto confirms the cluster is deleted — as on AWS,
 * where its add-ons, associations and access entries go with it.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FillerContext } from './correction';
import { epochSeconds, type FillerRequest, type Reply } from './http';
import { relay, replyJson, succeeded } from './upstream';

type Json = Record<string, unknown>;

/** A cluster as moto knows it, with the parts of its ARN the filler builds other ARNs from. */
export interface ClusterRef {
  readonly name: string;
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** moto's DescribeCluster answer. */
  readonly described: Json;
}

/** What the filler remembers about one managed node group. */
export interface NodegroupFacts {
  /** Whether CreateNodegroup asked for remote access (moto invents one when it did not); unknown if unset. */
  remoteAccessRequested?: boolean;
  /** The update configuration last sent (moto drops CreateNodegroup's). */
  updateConfig?: Json;
  /** Fields UpdateNodegroupVersion changed (moto has no such operation). */
  version?: Json;
  /** The node group's tags after TagResource/UntagResource (moto tags clusters only). */
  tags?: Record<string, string>;
}

export interface ClusterState {
  /** Request fields moto drops (accessConfig, upgradePolicy, …) and the version UpdateClusterVersion set. */
  readonly fields: Json;
  readonly addons: Map<string, Json>;
  /** By association id. */
  readonly podIdentityAssociations: Map<string, Json>;
  /** By principal ARN; each with its associated access policies by policy ARN. */
  readonly accessEntries: Map<string, { entry: Json; policies: Map<string, Json> }>;
  readonly nodegroups: Map<string, NodegroupFacts>;
  /** By update id, for DescribeUpdate / ListUpdates, with the node group or add-on it was for. */
  readonly updates: Map<string, { update: Json; nodegroupName?: string; addonName?: string }>;
}

export class EksStore {
  private readonly clusters = new Map<string, ClusterState>();

  /** The state of a cluster (created empty on first use). */
  state(clusterArn: string): ClusterState {
    let state = this.clusters.get(clusterArn);
    if (state === undefined) {
      state = {
        fields: {},
        addons: new Map(),
        podIdentityAssociations: new Map(),
        accessEntries: new Map(),
        nodegroups: new Map(),
        updates: new Map(),
      };
      this.clusters.set(clusterArn, state);
    }
    return state;
  }

  /** The state of a cluster if the filler has any. */
  existing(clusterArn: string): ClusterState | undefined {
    return this.clusters.get(clusterArn);
  }

  forget(clusterArn: string): void {
    this.clusters.delete(clusterArn);
  }

  /** Records an update that completed at once (the emulator has nothing to roll out) and returns it. */
  recordUpdate(
    clusterArn: string,
    update: { type: string; params: Json[]; id?: string; nodegroupName?: string; addonName?: string },
  ): Json {
    const recorded = {
      id: update.id ?? randomUUID(),
      status: 'Successful',
      type: update.type,
      params: update.params,
      createdAt: epochSeconds(),
      errors: [],
    };
    const { nodegroupName, addonName } = update;
    this.state(clusterArn).updates.set(recorded.id, { update: recorded, nodegroupName, addonName });
    return recorded;
  }

  /** The object (add-on, association, access entry) with this ARN, for the tagging operations. */
  taggable(arn: string): Json | undefined {
    for (const state of this.clusters.values()) {
      for (const addon of state.addons.values()) if (addon.addonArn === arn) return addon;
      for (const association of state.podIdentityAssociations.values()) {
        if (association.associationArn === arn) return association;
      }
      for (const { entry } of state.accessEntries.values()) if (entry.accessEntryArn === arn) return entry;
    }
    return undefined;
  }

  /** What the filler still holds, by kind (for the "emulator is empty" check). */
  held(): Record<string, string[]> {
    const all = [...this.clusters.entries()];
    return {
      eksAddons: all.flatMap(([arn, s]) => [...s.addons.keys()].map((name) => `${arn}/${name}`)),
      eksPodIdentityAssociations: all.flatMap(([, s]) =>
        [...s.podIdentityAssociations.values()].map((a) => String(a.associationArn)),
      ),
      eksAccessEntries: all.flatMap(([, s]) =>
        [...s.accessEntries.values()].map(({ entry }) => String(entry.accessEntryArn)),
      ),
    };
  }
}

/**
 * A cluster as AWS describes it: moto's answer plus the remembered fields, with AWS's defaults where the request
 * set none (authentication mode CONFIG_MAP, creator admin on, extended support). `bootstrapSelfManagedAddons` is
 * not among them: AWS's Cluster shape has no such field (the provider keeps its own value).
 */
export function describedCluster(cluster: Json, fields: Json): Json {
  const access = (fields.accessConfig ?? {}) as Json;
  const result: Json = {
    ...cluster,
    ...withOwnIssuer(cluster),
    accessConfig: {
      authenticationMode: access.authenticationMode ?? 'CONFIG_MAP',
      bootstrapClusterCreatorAdminPermissions: access.bootstrapClusterCreatorAdminPermissions ?? true,
    },
    upgradePolicy: fields.upgradePolicy ?? { supportType: 'EXTENDED' },
  };
  for (const field of ['zonalShiftConfig', 'computeConfig', 'storageConfig', 'version']) {
    if (fields[field] !== undefined) result[field] = fields[field];
  }
  if (typeof fields.clusterSecurityGroupId === 'string') {
    result.resourcesVpcConfig = {
      ...(cluster.resourcesVpcConfig as Json | undefined),
      clusterSecurityGroupId: fields.clusterSecurityGroupId,
    };
  }
  return result;
}

/**
 * moto 5.x draws the OIDC issuer's id once, at import (`ISSUER_TEMPLATE`), so every cluster of a run gets the same
 * issuer URL and a second environment's `aws_iam_openid_connect_provider` fails with EntityAlreadyExists. On AWS
 * each cluster has its own: the id here is 32 upper-case hex digits (AWS's shape) derived from the cluster's ARN,
 * so Create/Describe/DeleteCluster agree on it for the cluster's whole life and two clusters never share one.
 */
export function clusterIssuer(motoIssuer: string, clusterArn: string): string {
  const id = createHash('sha256').update(clusterArn).digest('hex').slice(0, 32).toUpperCase();
  return motoIssuer.replace(/\/id\/[^/]*$/, `/id/${id}`);
}

/** moto's `identity` with the cluster's own issuer (nothing when moto's answer has no issuer). */
function withOwnIssuer(cluster: Json): Json {
  const identity = cluster.identity as { oidc?: { issuer?: unknown } } | undefined;
  const issuer = identity?.oidc?.issuer;
  if (typeof issuer !== 'string' || typeof cluster.arn !== 'string') return {};
  return {
    identity: { ...identity, oidc: { ...identity?.oidc, issuer: clusterIssuer(issuer, cluster.arn) } },
  };
}

/** `arn:aws:eks:us-east-1:123456789012:cluster/name` → its parts. */
export function parseClusterArn(arn: string, name: string, described: Json = {}): ClusterRef {
  const [, partition, , region, account] = arn.split(':');
  return { name, arn, partition, region, account, described };
}

/** The cluster ARN a node group, add-on or association ARN belongs to. */
export function clusterArnOf(resourceArn: string): string {
  const parts = resourceArn.split(':');
  const clusterName = parts.slice(5).join(':').split('/')[1];
  return `${parts.slice(0, 5).join(':')}:cluster/${clusterName}`;
}

/**
 * Asks moto for the cluster (DescribeCluster), as AWS checks it before any add-on or access call: the cluster,
 * or moto's own `ResourceNotFoundException` to pass on.
 */
export async function findCluster(
  context: FillerContext,
  request: FillerRequest,
  name: string,
): Promise<ClusterRef | Reply> {
  const reply = await context.upstream.call(request, 'eks', {
    method: 'GET',
    path: `/clusters/${encodeURIComponent(name)}`,
  });
  const cluster = replyJson<{ cluster?: Json }>(reply)?.cluster;
  if (!succeeded(reply) || typeof cluster?.arn !== 'string') return relay(reply);
  return parseClusterArn(cluster.arn, name, cluster);
}

/** Runs `then` with the cluster moto knows and the filler's state for it, or passes moto's error on. */
export async function withCluster(
  context: FillerContext,
  request: FillerRequest,
  name: string,
  then: (cluster: ClusterRef, state: ClusterState) => Reply | Promise<Reply>,
): Promise<Reply> {
  const found = await findCluster(context, request, name);
  return isCluster(found) ? then(found, context.eks.state(found.arn)) : found;
}

/** Whether a `findCluster` result is the cluster (not an error to pass on). */
export function isCluster(found: ClusterRef | Reply): found is ClusterRef {
  return 'arn' in found;
}

/** Tags merged as TagResource does, or removed as UntagResource does. */
export function retag(
  tags: Record<string, string> | undefined,
  add: Record<string, string>,
  remove: string[] = [],
) {
  const result = { ...tags, ...add };
  for (const key of remove) delete result[key];
  return result;
}
