/**
 * EKS Pod Identity associations, which moto 5.2.1 does not implement (CreatePodIdentityAssociation answers 404).
 * As on AWS: ids `a-` + 17 characters, ARNs `arn:aws:eks:<region>:<account>:podidentityassociation/<cluster>/<id>`,
 * one association per namespace and service account, and the role must exist (asked of moto's IAM).
 */
import type { Correction, FillerContext } from './correction';
import { withCluster, type ClusterRef, type ClusterState } from './eks-store';
import {
  epochSeconds,
  inUse,
  invalidParameter,
  json,
  jsonBody,
  notFound,
  page,
  type FillerRequest,
} from './http';
import { parsePrincipal, principalExists } from './iam';

type Json = Record<string, unknown>;

const ASSOCIATIONS = /^\/clusters\/(?<cluster>[^/]+)\/pod-identity-associations$/;
const ASSOCIATION = /^\/clusters\/(?<cluster>[^/]+)\/pod-identity-associations\/(?<id>[^/]+)$/;
const ID_CHARACTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** What the provider retries on for two minutes (IAM propagation), as AWS words it. */
export const ROLE_DOES_NOT_EXIST = 'Role provided in the request does not exist';

/** `a-` and 17 random lower-case letters and digits, like AWS's association ids. */
export function associationId(): string {
  let id = 'a-';
  for (let i = 0; i < 17; i++) id += ID_CHARACTERS[Math.floor(Math.random() * ID_CHARACTERS.length)];
  return id;
}

/** Why the role cannot be used (not a role ARN, or not in IAM), if it cannot. */
export async function unusableRole(
  context: FillerContext,
  request: FillerRequest,
  roleArn: unknown,
): Promise<string | undefined> {
  if (typeof roleArn !== 'string' || parsePrincipal(roleArn)?.kind !== 'role') {
    return `roleArn must be an IAM role ARN, got ${String(roleArn)}`;
  }
  return (await principalExists(context, request, roleArn)) ? undefined : ROLE_DOES_NOT_EXIST;
}

/** The existing association of a namespace's service account, if any. */
export function associationFor(
  state: ClusterState,
  namespace: string,
  serviceAccount: string,
): Json | undefined {
  return [...state.podIdentityAssociations.values()].find(
    (a) => a.namespace === namespace && a.serviceAccount === serviceAccount,
  );
}

/** Stores a new association (validated by the caller) and returns it. */
export function addAssociation(
  state: ClusterState,
  cluster: ClusterRef,
  fields: {
    namespace: string;
    serviceAccount: string;
    roleArn: string;
    tags?: Json;
    ownerArn?: string;
  } & Json,
): Json {
  const id = associationId();
  const now = epochSeconds();
  const association: Json = {
    clusterName: cluster.name,
    namespace: fields.namespace,
    serviceAccount: fields.serviceAccount,
    roleArn: fields.roleArn,
    associationArn: `arn:${cluster.partition}:eks:${cluster.region}:${cluster.account}:podidentityassociation/${cluster.name}/${id}`,
    associationId: id,
    tags: fields.tags ?? {},
    createdAt: now,
    modifiedAt: now,
    disableSessionTags: fields.disableSessionTags ?? false,
    ...(fields.targetRoleArn === undefined ? {} : { targetRoleArn: fields.targetRoleArn }),
    ...(fields.ownerArn === undefined ? {} : { ownerArn: fields.ownerArn }),
  };
  state.podIdentityAssociations.set(id, association);
  return association;
}

const missing = (cluster: string, id: string) =>
  notFound(`No Pod Identity Association found for id: ${id}`, { clusterName: cluster });

export const EKS_POD_IDENTITY: Correction = {
  name: 'eks-pod-identity',
  terraformTypes: ['aws_eks_pod_identity_association'],
  moto: 'has no Pod Identity API (CreatePodIdentityAssociation and the rest answer 404)',
  fix: 'implements Create/Describe/Update/Delete/ListPodIdentityAssociations (role checked in IAM, one per service account)',
  routes: (context) => [
    {
      operation: 'CreatePodIdentityAssociation',
      service: 'eks',
      method: 'POST',
      path: ASSOCIATIONS,
      handle: (request, { cluster }) =>
        withCluster(context, request, cluster, async (ref, state) => {
          const body = jsonBody<Json>(request);
          const { namespace, serviceAccount } = body;
          if (typeof namespace !== 'string' || typeof serviceAccount !== 'string') {
            return invalidParameter('namespace and serviceAccount are required', { clusterName: cluster });
          }
          const existing = associationFor(state, namespace, serviceAccount);
          if (existing !== undefined) {
            return inUse(`Association already exists: ${String(existing.associationId)}`, {
              clusterName: cluster,
            });
          }
          const unusable = await unusableRole(context, request, body.roleArn);
          if (unusable !== undefined) return invalidParameter(unusable, { clusterName: cluster });
          const { clientRequestToken: _token, ...fields } = body;
          const association = addAssociation(state, ref, {
            ...fields,
            namespace,
            serviceAccount,
            roleArn: String(body.roleArn),
          });
          return json(200, { association });
        }),
    },
    {
      operation: 'ListPodIdentityAssociations',
      service: 'eks',
      method: 'GET',
      path: ASSOCIATIONS,
      handle: (request, { cluster }) =>
        withCluster(context, request, cluster, (_ref, state) => {
          const query = request.url.searchParams;
          const summaries = [...state.podIdentityAssociations.values()]
            .filter((a) => !query.has('namespace') || a.namespace === query.get('namespace'))
            .filter((a) => !query.has('serviceAccount') || a.serviceAccount === query.get('serviceAccount'))
            .map(({ clusterName, namespace, serviceAccount, associationArn, associationId, ownerArn }) => ({
              clusterName,
              namespace,
              serviceAccount,
              associationArn,
              associationId,
              ownerArn,
            }));
          const { items, nextToken } = page(summaries, request.url);
          return json(200, { associations: items, nextToken });
        }),
    },
    {
      operation: 'DescribePodIdentityAssociation',
      service: 'eks',
      method: 'GET',
      path: ASSOCIATION,
      handle: (request, { cluster, id }) =>
        withCluster(context, request, cluster, (_ref, state) => {
          const association = state.podIdentityAssociations.get(id);
          return association ? json(200, { association }) : missing(cluster, id);
        }),
    },
    {
      operation: 'UpdatePodIdentityAssociation',
      service: 'eks',
      method: 'POST',
      path: ASSOCIATION,
      handle: (request, { cluster, id }) =>
        withCluster(context, request, cluster, async (_ref, state) => {
          const association = state.podIdentityAssociations.get(id);
          if (association === undefined) return missing(cluster, id);
          const body = jsonBody<Json>(request);
          if (body.roleArn !== undefined) {
            const unusable = await unusableRole(context, request, body.roleArn);
            if (unusable !== undefined) return invalidParameter(unusable, { clusterName: cluster });
            association.roleArn = body.roleArn;
          }
          for (const field of ['disableSessionTags', 'targetRoleArn']) {
            if (body[field] !== undefined) association[field] = body[field];
          }
          association.modifiedAt = epochSeconds();
          return json(200, { association });
        }),
    },
    {
      operation: 'DeletePodIdentityAssociation',
      service: 'eks',
      method: 'DELETE',
      path: ASSOCIATION,
      handle: (request, { cluster, id }) =>
        withCluster(context, request, cluster, (_ref, state) => {
          const association = state.podIdentityAssociations.get(id);
          if (association === undefined) return missing(cluster, id);
          state.podIdentityAssociations.delete(id);
          return json(200, { association });
        }),
    },
  ],
};
