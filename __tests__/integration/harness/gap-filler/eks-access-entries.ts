/**
 * EKS access entries and access policy associations (cluster access through the EKS API), which moto 5.2.1 does
 * not implement (every route answers 404). Implemented after the EKS API reference and user guide: the cluster's
 * authentication mode must allow access entries; node types (EC2_LINUX, …) take IAM roles only, no Kubernetes
 * groups and no access policies; `system:` groups are refused on STANDARD entries; a principal has one entry.
 */
import { randomUUID } from 'node:crypto';
import type { Correction, FillerContext, Route } from './correction';
import {
  describedCluster,
  findCluster,
  isCluster,
  parseClusterArn,
  type ClusterRef,
  type ClusterState,
} from './eks-store';
import {
  epochSeconds,
  inUse,
  invalidParameter,
  invalidRequest,
  json,
  jsonBody,
  notFound,
  page,
  type FillerRequest,
  type Reply,
} from './http';
import { callerPrincipal, parsePrincipal, principalExists } from './iam';

type Json = Record<string, unknown>;

const ENTRIES = /^\/clusters\/(?<cluster>[^/]+)\/access-entries$/;
const ENTRY = /^\/clusters\/(?<cluster>[^/]+)\/access-entries\/(?<principal>[^/]+)$/;
const POLICIES = /^\/clusters\/(?<cluster>[^/]+)\/access-entries\/(?<principal>[^/]+)\/access-policies$/;
const POLICY =
  /^\/clusters\/(?<cluster>[^/]+)\/access-entries\/(?<principal>[^/]+)\/access-policies\/(?<policy>[^/]+)$/;
const NODE_TYPES = ['EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX', 'EC2'];
const TYPES = ['STANDARD', ...NODE_TYPES];
const ACCESS_POLICY = /^arn:aws[a-z-]*:eks::aws:cluster-access-policy\/[A-Za-z0-9]+$/;
const CLUSTER_ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';
const ENTRY_NOT_FOUND =
  "The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.";

/** The Kubernetes user name EKS derives when the request names none. */
function defaultUsername(type: string, principalArn: string, account: string): string {
  if (type === 'EC2_LINUX' || type === 'EC2_WINDOWS' || type === 'EC2')
    return 'system:node:{{EC2PrivateDNSName}}';
  if (type !== 'STANDARD') return 'system:node:{{SessionName}}';
  const principal = parsePrincipal(principalArn);
  return principal?.kind === 'role'
    ? `arn:aws:sts::${account}:assumed-role/${principal.name}/{{SessionName}}`
    : principalArn;
}

/** Stores a new access entry (the caller has validated it) and returns it. */
export function addAccessEntry(
  state: ClusterState,
  cluster: ClusterRef,
  request: {
    principalArn: string;
    type?: string;
    kubernetesGroups?: string[];
    username?: string;
    tags?: Json;
  },
): Json {
  const type = request.type ?? 'STANDARD';
  const principal = parsePrincipal(request.principalArn);
  const now = epochSeconds();
  const entry = {
    clusterName: cluster.name,
    principalArn: request.principalArn,
    kubernetesGroups: NODE_TYPES.includes(type) ? ['system:nodes'] : (request.kubernetesGroups ?? []),
    accessEntryArn: `arn:${cluster.partition}:eks:${cluster.region}:${cluster.account}:access-entry/${cluster.name}/${principal?.kind}/${principal?.account}/${principal?.name}/${randomUUID()}`,
    createdAt: now,
    modifiedAt: now,
    tags: request.tags ?? {},
    username: request.username ?? defaultUsername(type, request.principalArn, cluster.account),
    type,
  };
  state.accessEntries.set(request.principalArn, { entry, policies: new Map() });
  return entry;
}

/**
 * What EKS does for the cluster creator when `bootstrapClusterCreatorAdminPermissions` is on (the default) and
 * the authentication mode admits access entries: an access entry with AmazonEKSClusterAdminPolicy on the
 * cluster. A configuration that also declares an entry for its own deployer then fails as it would on AWS.
 */
export async function bootstrapCreatorAccess(
  context: FillerContext,
  request: FillerRequest,
  clusterArn: string,
): Promise<void> {
  const creator = await callerPrincipal(context, request);
  if (creator === undefined || parsePrincipal(creator) === undefined) return;
  const cluster = parseClusterArn(clusterArn, clusterArn.slice(clusterArn.lastIndexOf('/') + 1));
  const state = context.eks.state(clusterArn);
  addAccessEntry(state, cluster, { principalArn: creator });
  const now = epochSeconds();
  state.accessEntries.get(creator)?.policies.set(CLUSTER_ADMIN_POLICY, {
    policyArn: CLUSTER_ADMIN_POLICY,
    accessScope: { type: 'cluster', namespaces: [] },
    associatedAt: now,
    modifiedAt: now,
  });
}

/** Runs `then` with the cluster (from moto) and its state, or answers moto's error / the auth mode refusal. */
async function withAccessEntries(
  context: FillerContext,
  request: FillerRequest,
  name: string,
  then: (cluster: ClusterRef, state: ClusterState) => Reply | Promise<Reply>,
): Promise<Reply> {
  const found = await findCluster(context, request, name);
  if (!isCluster(found)) return found;
  const state = context.eks.state(found.arn);
  const mode = (describedCluster({}, state.fields).accessConfig as Json).authenticationMode;
  if (mode === 'CONFIG_MAP') {
    return invalidRequest(
      "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
      { clusterName: name },
    );
  }
  return then(found, state);
}

/** Why a CreateAccessEntry/UpdateAccessEntry request is invalid, if it is. */
function invalidEntry(
  type: string,
  principalArn: string,
  groups: unknown,
  username: unknown,
): string | undefined {
  if (!TYPES.includes(type)) return `The access entry type ${type} is invalid; allowed: ${TYPES.join(', ')}`;
  const principal = parsePrincipal(principalArn);
  if (principal === undefined) return `The specified principalArn is invalid: ${principalArn}`;
  if (NODE_TYPES.includes(type)) {
    if (principal.kind !== 'role') return `The principalArn of a ${type} access entry must be an IAM role`;
    if (Array.isArray(groups) && groups.length > 0)
      return `Kubernetes groups cannot be specified for type ${type}`;
    if (username !== undefined) return `A username cannot be specified for type ${type}`;
  }
  const system = Array.isArray(groups) ? groups.find((g) => String(g).startsWith('system:')) : undefined;
  if (system !== undefined)
    return `The kubernetes group name ${system} is invalid, it cannot start with system:`;
  return undefined;
}

async function createAccessEntry(
  context: FillerContext,
  request: FillerRequest,
  cluster: string,
): Promise<Reply> {
  return withAccessEntries(context, request, cluster, async (ref, state) => {
    const body = jsonBody<Json>(request);
    const principalArn = String(body.principalArn ?? '');
    const type = String(body.type ?? 'STANDARD');
    const invalid = invalidEntry(type, principalArn, body.kubernetesGroups, body.username);
    if (invalid !== undefined) return invalidParameter(invalid, { clusterName: cluster });
    if (state.accessEntries.has(principalArn)) {
      return inUse('The specified access entry resource is already in use on this cluster.', {
        clusterName: cluster,
      });
    }
    if (!(await principalExists(context, request, principalArn))) {
      return invalidParameter(`The specified principalArn is invalid: invalid principal ${principalArn}`, {
        clusterName: cluster,
      });
    }
    const entry = addAccessEntry(state, ref, {
      principalArn,
      type,
      kubernetesGroups: body.kubernetesGroups as string[] | undefined,
      username: body.username as string | undefined,
      tags: body.tags as Json | undefined,
    });
    return json(200, { accessEntry: entry });
  });
}

export const EKS_ACCESS_ENTRIES: Correction = {
  name: 'eks-access-entries',
  terraformTypes: ['aws_eks_access_entry', 'aws_eks_access_policy_association'],
  moto: 'has no access entry or access policy API (CreateAccessEntry, AssociateAccessPolicy, … answer 404)',
  fix: 'implements access entries and policy associations (auth mode, node types, system: groups checked; creator entry bootstrapped)',
  routes: (context) => [
    {
      operation: 'CreateAccessEntry',
      service: 'eks',
      method: 'POST',
      path: ENTRIES,
      handle: (request, { cluster }) => createAccessEntry(context, request, cluster),
    },
    {
      operation: 'ListAccessEntries',
      service: 'eks',
      method: 'GET',
      path: ENTRIES,
      handle: (request, { cluster }) =>
        withAccessEntries(context, request, cluster, (_ref, state) => {
          const policy = request.url.searchParams.get('associatedPolicyArn');
          const principals = [...state.accessEntries.entries()]
            .filter(([, e]) => policy === null || e.policies.has(policy))
            .map(([principal]) => principal)
            .sort();
          const { items, nextToken } = page(principals, request.url);
          return json(200, { accessEntries: items, nextToken });
        }),
    },
    {
      operation: 'DescribeAccessEntry',
      service: 'eks',
      method: 'GET',
      path: ENTRY,
      handle: (request, { cluster, principal }) =>
        withAccessEntries(context, request, cluster, (_ref, state) => {
          const found = state.accessEntries.get(principal);
          return found
            ? json(200, { accessEntry: found.entry })
            : notFound(ENTRY_NOT_FOUND, { clusterName: cluster });
        }),
    },
    {
      operation: 'UpdateAccessEntry',
      service: 'eks',
      method: 'POST',
      path: ENTRY,
      handle: (request, { cluster, principal }) =>
        withAccessEntries(context, request, cluster, (_ref, state) => {
          const found = state.accessEntries.get(principal);
          if (!found) return notFound(ENTRY_NOT_FOUND, { clusterName: cluster });
          const body = jsonBody<Json>(request);
          const invalid = invalidEntry(
            String(found.entry.type),
            principal,
            body.kubernetesGroups,
            body.username,
          );
          if (invalid !== undefined) return invalidParameter(invalid, { clusterName: cluster });
          if (body.kubernetesGroups !== undefined) found.entry.kubernetesGroups = body.kubernetesGroups;
          if (body.username !== undefined) found.entry.username = body.username;
          found.entry.modifiedAt = epochSeconds();
          return json(200, { accessEntry: found.entry });
        }),
    },
    {
      operation: 'DeleteAccessEntry',
      service: 'eks',
      method: 'DELETE',
      path: ENTRY,
      handle: (request, { cluster, principal }) =>
        withAccessEntries(context, request, cluster, (_ref, state) =>
          state.accessEntries.delete(principal)
            ? json(200, {})
            : notFound(ENTRY_NOT_FOUND, { clusterName: cluster }),
        ),
    },
    ...accessPolicyRoutes(context),
  ],
};

/** AssociateAccessPolicy: adds the policy to a STANDARD entry, or replaces the scope of one it has. */
function associateAccessPolicy(
  context: FillerContext,
  request: FillerRequest,
  cluster: string,
  principal: string,
): Promise<Reply> {
  return withAccessEntries(context, request, cluster, (_ref, state) => {
    const found = state.accessEntries.get(principal);
    if (!found) return notFound(ENTRY_NOT_FOUND, { clusterName: cluster });
    if (found.entry.type !== 'STANDARD') {
      return invalidRequest(`Access policies cannot be associated with a ${found.entry.type} access entry`, {
        clusterName: cluster,
      });
    }
    const body = jsonBody<{
      policyArn?: string;
      accessScope?: { type?: string; namespaces?: string[] };
    }>(request);
    const scope = body.accessScope ?? {};
    const namespaces = scope.namespaces ?? [];
    if (!ACCESS_POLICY.test(body.policyArn ?? '')) {
      return invalidParameter(`The policyArn ${body.policyArn} is not an EKS cluster access policy`, {
        clusterName: cluster,
      });
    }
    if (scope.type !== 'cluster' && scope.type !== 'namespace') {
      return invalidParameter(`accessScope.type must be cluster or namespace, got ${scope.type}`, {
        clusterName: cluster,
      });
    }
    if ((scope.type === 'namespace') !== namespaces.length > 0) {
      return invalidParameter(
        'accessScope.namespaces must be given exactly when accessScope.type is namespace',
        {
          clusterName: cluster,
        },
      );
    }
    const now = epochSeconds();
    const previous = found.policies.get(String(body.policyArn));
    const associated = {
      policyArn: body.policyArn,
      accessScope: { type: scope.type, namespaces },
      associatedAt: previous?.associatedAt ?? now,
      modifiedAt: now,
    };
    found.policies.set(String(body.policyArn), associated);
    return json(200, {
      clusterName: cluster,
      principalArn: principal,
      associatedAccessPolicy: associated,
    });
  });
}

function accessPolicyRoutes(context: FillerContext): Route[] {
  return [
    {
      operation: 'AssociateAccessPolicy',
      service: 'eks',
      method: 'POST',
      path: POLICIES,
      handle: (request, { cluster, principal }) =>
        associateAccessPolicy(context, request, cluster, principal),
    },
    {
      operation: 'ListAssociatedAccessPolicies',
      service: 'eks',
      method: 'GET',
      path: POLICIES,
      handle: (request, { cluster, principal }) =>
        withAccessEntries(context, request, cluster, (_ref, state) => {
          const found = state.accessEntries.get(principal);
          if (!found) return notFound(ENTRY_NOT_FOUND, { clusterName: cluster });
          const { items, nextToken } = page([...found.policies.values()], request.url);
          return json(200, {
            clusterName: cluster,
            principalArn: principal,
            associatedAccessPolicies: items,
            nextToken,
          });
        }),
    },
    {
      operation: 'DisassociateAccessPolicy',
      service: 'eks',
      method: 'DELETE',
      path: POLICY,
      handle: (request, { cluster, principal, policy }) =>
        withAccessEntries(context, request, cluster, (_ref, state) => {
          const found = state.accessEntries.get(principal);
          if (!found?.policies.delete(policy)) {
            return notFound(`The access policy ${policy} is not associated with ${principal}`, {
              clusterName: cluster,
            });
          }
          return json(200, {});
        }),
    },
  ];
}
