/**
 * EKS add-ons, which moto 5.2.1 does not implement (CreateAddon answers 404). An add-on is ACTIVE as soon as it
 * is created and gone as soon as it is deleted (DeleteAddon answers DELETING); its `podIdentityAssociations` are
 * real Pod Identity associations owned by the add-on, in the add-on's namespace, as AWS creates them.
 */
import { randomUUID } from 'node:crypto';
import type { Correction, FillerContext } from './correction';
import { withCluster, type ClusterRef, type ClusterState } from './eks-store';
import { addAssociation, associationFor, unusableRole } from './eks-pod-identity';
import {
  epochSeconds,
  inUse,
  invalidParameter,
  json,
  jsonBody,
  notFound,
  page,
  pick,
  type FillerRequest,
  type Reply,
} from './http';

type Json = Record<string, unknown>;

const ADDONS = /^\/clusters\/(?<cluster>[^/]+)\/addons$/;
const ADDON = /^\/clusters\/(?<cluster>[^/]+)\/addons\/(?<addon>[^/]+)$/;
/**
 * The emulator has no catalogue of add-on versions; an add-on created without one reports this (AWS would pick
 * the default version for the cluster's Kubernetes minor).
 */
export const EMULATOR_DEFAULT_ADDON_VERSION = 'v1.0.0-eksbuild.1';
/** Add-ons AWS installs outside kube-system (where their Pod Identity associations are made). */
const ADDON_NAMESPACES: Record<string, string> = {
  'external-dns': 'external-dns',
  'amazon-cloudwatch-observability': 'amazon-cloudwatch',
};

interface PodIdentityRequest {
  readonly serviceAccount?: string;
  readonly roleArn?: string;
}

/**
 * DescribeAddonVersions for one add-on and one Kubernetes minor (the `aws_eks_addon_version` data source): one
 * version, EMULATOR_DEFAULT_ADDON_VERSION, the default for that minor. moto has no catalogue (404).
 */
async function describeAddonVersions(request: FillerRequest): Promise<Reply> {
  const addonName = request.url.searchParams.get('addonName');
  const kubernetesVersion = request.url.searchParams.get('kubernetesVersion');
  if (addonName === null || kubernetesVersion === null) {
    return invalidParameter(
      'the emulator answers DescribeAddonVersions for one addonName and kubernetesVersion',
    );
  }
  const compatibilities = [
    { clusterVersion: kubernetesVersion, platformVersions: ['*'], defaultVersion: true },
  ];
  return json(200, {
    addons: [
      {
        addonName,
        type: 'emulated',
        addonVersions: [
          { addonVersion: EMULATOR_DEFAULT_ADDON_VERSION, architecture: ['amd64'], compatibilities },
        ],
      },
    ],
  });
}

const missing = (cluster: string, addon: string) =>
  notFound(`No addon: ${addon} found in cluster: ${cluster}`, { clusterName: cluster, addonName: addon });

/** Why the add-on's pod identity associations cannot be made, if they cannot. */
async function invalidAssociations(
  context: FillerContext,
  request: FillerRequest,
  state: ClusterState,
  namespace: string,
  wanted: readonly PodIdentityRequest[],
  replacing: readonly string[] = [],
): Promise<string | undefined> {
  for (const { serviceAccount, roleArn } of wanted) {
    if (typeof serviceAccount !== 'string') return 'podIdentityAssociations[].serviceAccount is required';
    const existing = associationFor(state, namespace, serviceAccount);
    if (existing !== undefined && !replacing.includes(String(existing.associationArn))) {
      return `Conflicting Pod Identity association ${String(existing.associationId)} for ${namespace}/${serviceAccount}`;
    }
    const unusable = await unusableRole(context, request, roleArn);
    if (unusable !== undefined) return unusable;
  }
  return undefined;
}

/** Replaces the add-on's own associations with new ones; returns their ARNs. */
function associate(
  state: ClusterState,
  cluster: ClusterRef,
  addon: Json,
  namespace: string,
  wanted: readonly PodIdentityRequest[],
): string[] {
  for (const [id, association] of state.podIdentityAssociations) {
    if (association.ownerArn === addon.addonArn) state.podIdentityAssociations.delete(id);
  }
  return wanted.map(
    ({ serviceAccount, roleArn }) =>
      addAssociation(state, cluster, {
        namespace,
        serviceAccount: String(serviceAccount),
        roleArn: String(roleArn),
        ownerArn: String(addon.addonArn),
      }).associationArn as string,
  );
}

async function createAddon(context: FillerContext, request: FillerRequest, cluster: string): Promise<Reply> {
  return withCluster(context, request, cluster, async (ref, state) => {
    const body = jsonBody<Json>(request);
    const name = body.addonName;
    if (typeof name !== 'string' || name === '')
      return invalidParameter('addonName is required', { clusterName: cluster });
    if (state.addons.has(name))
      return inUse('Addon already exists.', { clusterName: cluster, addonName: name });
    const namespace = String(
      (body.namespaceConfig as Json | undefined)?.namespace ?? ADDON_NAMESPACES[name] ?? 'kube-system',
    );
    const wanted = (body.podIdentityAssociations ?? []) as PodIdentityRequest[];
    const invalid = await invalidAssociations(context, request, state, namespace, wanted);
    if (invalid !== undefined) return invalidParameter(invalid, { clusterName: cluster, addonName: name });
    const now = epochSeconds();
    const addon: Json = {
      addonName: name,
      clusterName: cluster,
      status: 'ACTIVE',
      addonVersion: body.addonVersion ?? EMULATOR_DEFAULT_ADDON_VERSION,
      health: { issues: [] },
      addonArn: `arn:${ref.partition}:eks:${ref.region}:${ref.account}:addon/${cluster}/${name}/${randomUUID()}`,
      createdAt: now,
      modifiedAt: now,
      tags: body.tags ?? {},
      podIdentityAssociations: [],
      ...pick(body, ['serviceAccountRoleArn', 'configurationValues', 'namespaceConfig']),
    };
    addon.podIdentityAssociations = associate(state, ref, addon, namespace, wanted);
    state.addons.set(name, addon);
    return json(200, { addon });
  });
}

async function updateAddon(
  context: FillerContext,
  request: FillerRequest,
  cluster: string,
  name: string,
): Promise<Reply> {
  return withCluster(context, request, cluster, async (ref, state) => {
    const addon = state.addons.get(name);
    if (addon === undefined) return missing(cluster, name);
    const body = jsonBody<Json>(request);
    const namespace = String(
      (addon.namespaceConfig as Json | undefined)?.namespace ?? ADDON_NAMESPACES[name] ?? 'kube-system',
    );
    const wanted = body.podIdentityAssociations as PodIdentityRequest[] | undefined;
    if (wanted !== undefined) {
      const owned = addon.podIdentityAssociations as string[];
      const invalid = await invalidAssociations(context, request, state, namespace, wanted, owned);
      if (invalid !== undefined) return invalidParameter(invalid, { clusterName: cluster, addonName: name });
      addon.podIdentityAssociations = associate(state, ref, addon, namespace, wanted);
    }
    const changed = pick(body, ['addonVersion', 'serviceAccountRoleArn', 'configurationValues']);
    Object.assign(addon, changed);
    addon.modifiedAt = epochSeconds();
    const update = context.eks.recordUpdate(ref.arn, {
      type: 'AddonUpdate',
      addonName: name,
      params: Object.entries({ ...changed, ...(wanted ? { podIdentityAssociations: wanted } : {}) }).map(
        ([field, value]) => ({
          type: field[0].toUpperCase() + field.slice(1),
          value: typeof value === 'string' ? value : JSON.stringify(value),
        }),
      ),
    });
    return json(200, { update });
  });
}

export const EKS_ADDONS: Correction = {
  name: 'eks-addons',
  terraformTypes: ['aws_eks_addon'],
  moto: 'has no add-on API (CreateAddon and the rest answer 404)',
  fix: 'implements Create/Describe/Update/Delete/ListAddons (ACTIVE at once; podIdentityAssociations made as associations) and DescribeAddonVersions (one default version per minor)',
  routes: (context) => [
    {
      operation: 'DescribeAddonVersions',
      service: 'eks',
      method: 'GET',
      path: /^\/addons\/supported-versions$/,
      handle: (request) => describeAddonVersions(request),
    },
    {
      operation: 'CreateAddon',
      service: 'eks',
      method: 'POST',
      path: ADDONS,
      handle: (request, { cluster }) => createAddon(context, request, cluster),
    },
    {
      operation: 'ListAddons',
      service: 'eks',
      method: 'GET',
      path: ADDONS,
      handle: (request, { cluster }) =>
        withCluster(context, request, cluster, (_ref, state) => {
          const { items, nextToken } = page([...state.addons.keys()].sort(), request.url);
          return json(200, { addons: items, nextToken });
        }),
    },
    {
      operation: 'DescribeAddon',
      service: 'eks',
      method: 'GET',
      path: ADDON,
      handle: (request, { cluster, addon }) =>
        withCluster(context, request, cluster, (_ref, state) => {
          const found = state.addons.get(addon);
          return found ? json(200, { addon: found }) : missing(cluster, addon);
        }),
    },
    {
      operation: 'UpdateAddon',
      service: 'eks',
      method: 'POST',
      path: /^\/clusters\/(?<cluster>[^/]+)\/addons\/(?<addon>[^/]+)\/update$/,
      handle: (request, { cluster, addon }) => updateAddon(context, request, cluster, addon),
    },
    {
      operation: 'DeleteAddon',
      service: 'eks',
      method: 'DELETE',
      path: ADDON,
      handle: (request, { cluster, addon }) =>
        withCluster(context, request, cluster, (_ref, state) => {
          const found = state.addons.get(addon);
          if (found === undefined) return missing(cluster, addon);
          state.addons.delete(addon);
          for (const [id, association] of state.podIdentityAssociations) {
            if (association.ownerArn === found.addonArn) state.podIdentityAssociations.delete(id);
          }
          return json(200, { addon: { ...found, status: 'DELETING' } });
        }),
    },
  ],
};
