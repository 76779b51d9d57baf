/**
 * The cart's Kubernetes objects as plain manifests, for Argo CD (gitops.enabled): the cart-workload stack is built
 * from the same constructs as in Terraform mode, synthesized, and its `kubernetes_*` resources converted to API
 * objects (the converter the Kubernetes schema checks use). Everything the stack would read from other stacks'
 * state is computed from the configuration instead, so the output is known at synth and deterministic.
 * The namespace and ServiceAccount stay Terraform's (CartGitops): they are left out.
 */
import { Testing } from 'cdktf';
import { stringify } from 'yaml';
import {
  kubernetesObjects,
  type KubernetesObject,
} from '../../__tests__/integration/harness/kubernetes-objects';
import type { CartOutputs } from '../../stacks/cart-stack';
import type { ClusterOutputs } from '../../stacks/cluster-stack';
import type { EnvironmentConfig } from '../../stacks/config/schema';
import { CartWorkloadStack } from '../../stacks/cart-workload-stack';

/** Kinds Terraform keeps in GitOps mode (one owner per object). */
export const TERRAFORM_OWNED_KINDS: ReadonlySet<string> = new Set(['Namespace', 'ServiceAccount']);

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** What the other stacks would hand over, from the configuration (the ECR URL of the aws partition). */
function literalInputs(config: EnvironmentConfig): { cluster: ClusterOutputs; cart: CartOutputs } {
  const account = config.account.id;
  const cluster: ClusterOutputs = {
    clusterName: config.cluster.name,
    clusterArn: `arn:aws:eks:${config.region}:${account}:cluster/${config.cluster.name}`,
    endpoint: 'https://unused.invalid',
    certificateAuthorityData: '',
    region: config.region,
    clusterSecurityGroupId: '',
    oidcProvider: { arn: '', issuer: '' },
    oidcIssuerUrl: '',
    nodeRoleArn: '',
    accountId: account,
    partition: 'aws',
    kmsKeyArn: '',
  };
  const cart: CartOutputs = {
    tableName: config.cart.tableName,
    tableArn: `arn:aws:dynamodb:${config.region}:${account}:table/${config.cart.tableName}`,
    region: config.region,
    roleArn: '',
    repositoryUrl: `${account}.dkr.ecr.${config.region}.amazonaws.com/${config.cart.ecrRepositoryName}`,
    identityMode: config.cart.identity,
    namespace: config.cart.namespace,
    serviceAccount: config.cart.serviceAccount,
    serviceAccountAnnotations: {},
  };
  return { cluster, cart };
}

/** Replaces `${kubernetes_x.y.metadata[0].name}` (and namespace) with the value that resource sets. */
function resolveReferences(value: unknown, resources: Resources): unknown {
  if (typeof value === 'string') {
    const ref = /^\$\{(kubernetes_[a-z0-9_]+)\.([\w-]+)\.metadata\[0\]\.(name|namespace)\}$/.exec(value);
    if (ref === null) return value;
    const [, type, id, field] = ref;
    const metadata = (resources[type]?.[id]?.metadata ?? {}) as Record<string, unknown>;
    const target = (Array.isArray(metadata) ? metadata[0] : metadata) as Record<string, unknown>;
    return resolveReferences(target[field], resources);
  }
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, resources));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, resources)]));
  }
  return value;
}

/** The cart-workload stack's objects as Terraform would create them (Terraform mode), references resolved. */
export function terraformCartObjects(config: EnvironmentConfig): KubernetesObject[] {
  const terraformMode = { ...config, gitops: { ...config.gitops, enabled: false } };
  const stack = new CartWorkloadStack(Testing.app(), 'cart-workload', {
    config: terraformMode,
    ...literalInputs(config),
  });
  stack.prepareStack();
  return resolvedObjects(JSON.parse(Testing.synth(stack)) as { resource?: Resources });
}

/** A synthesized stack's Kubernetes objects, references between its own objects resolved. */
export function resolvedObjects(json: { resource?: Resources }): KubernetesObject[] {
  const resources = json.resource ?? {};
  return kubernetesObjects(json).objects.map(
    ({ object }) => resolveReferences(object, resources) as KubernetesObject,
  );
}

/** One manifest file per object Argo CD owns: `<kind>-<name>.yaml`, sorted, stable key order. */
export function cartManifests(config: EnvironmentConfig): { file: string; text: string }[] {
  return terraformCartObjects(config)
    .filter((object) => !TERRAFORM_OWNED_KINDS.has(object.kind))
    .map((object) => ({
      file: `${object.kind.toLowerCase()}-${String(object.metadata?.name)}.yaml`,
      text: stringify(object, { sortMapEntries: true }),
    }))
    .sort((a, b) => a.file.localeCompare(b.file));
}
