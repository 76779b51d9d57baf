import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import type { KubernetesObject } from '../integration/harness/kubernetes-objects';
import type { CartWorkloadStack } from '../../stacks/cart-workload-stack';
import { environmentConfig } from '../../stacks/config/environments';
import {
  cartManifests,
  resolvedObjects,
  TERRAFORM_OWNED_KINDS,
} from '../../scripts/manifests/cart-manifests';
import { buildTestPlatform, synthStack } from '../helpers/synth';

const GITOPS = {
  gitops: { enabled: true, repoUrl: 'https://github.com/acme/cart-platform.git' },
  addons: { argoCd: { enabled: true } },
} as const;

/** The objects the cart-workload stack of the real platform manages (cross-stack references unresolved). */
function terraformObjects(environment: string, overrides = {}): KubernetesObject[] {
  const { stacks } = buildTestPlatform(environment, overrides);
  return resolvedObjects(synthStack(stacks.cartWorkload as CartWorkloadStack));
}

const identity = (o: KubernetesObject) =>
  `${o.kind} ${String(o.metadata?.namespace)}/${String(o.metadata?.name)}`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(['dev', 'prod'])('npm run manifests (%s)', (environment) => {
  const config = environmentConfig(environment);
  const manifests = cartManifests(config);
  const objects = manifests.map((m) => parse(m.text) as KubernetesObject);
  const terraform = terraformObjects(environment);

  test('one file per object, named by kind and name, sorted', () => {
    expect(manifests.map((m) => m.file)).toEqual([
      'configmap-carts.yaml',
      'deployment-carts.yaml',
      'horizontalpodautoscaler-carts.yaml',
      // No Ingress: the cart is ClusterIP-only unless cart.exposure says otherwise.
      'networkpolicy-carts.yaml',
      'networkpolicy-default-deny-all.yaml',
      'poddisruptionbudget-carts.yaml',
      'service-carts.yaml',
    ]);
  });

  test('deterministic: the same configuration gives the same bytes', () => {
    expect(cartManifests(config)).toEqual(manifests);
  });

  test('the same objects as Terraform manages, minus the namespace and ServiceAccount it keeps', () => {
    expect(objects.map(identity).sort()).toEqual(
      terraform
        .filter((o) => !TERRAFORM_OWNED_KINDS.has(o.kind))
        .map(identity)
        .sort(),
    );
  });

  test('GitOps mode: Terraform + Argo CD together own every object exactly once', () => {
    const gitopsTerraform = terraformObjects(environment, GITOPS).filter((o) => o.kind !== 'Application');
    const owned = [...gitopsTerraform.map(identity), ...objects.map(identity)].sort();
    expect(owned).toEqual(terraform.map(identity).sort());
    expect(new Set(owned).size).toBe(owned.length);
  });

  test('key fields agree: replicas, image tag, probes, ports, resources, config keys, autoscaling', () => {
    const pick = (list: KubernetesObject[], kind: string) => list.find((o) => o.kind === kind) as Json;
    const [ours, theirs] = [pick(objects, 'Deployment'), pick(terraform, 'Deployment')];
    const container = (d: Json) => d.spec.template.spec.containers[0];
    expect(ours.spec.replicas).toBe(theirs.spec.replicas);
    expect(container(ours).image).toBe(
      `000000000000.dkr.ecr.us-east-1.amazonaws.com/${config.cart.ecrRepositoryName}:${config.cart.imageTag}`,
    );
    expect(container(theirs).image.endsWith(`:${config.cart.imageTag}`)).toBe(true);
    for (const field of ['ports', 'resources', 'readinessProbe', 'livenessProbe', 'securityContext'])
      expect(container(ours)[field], field).toEqual(container(theirs)[field]);
    expect(ours.spec.template.spec.serviceAccountName).toBe(config.cart.serviceAccount);
    expect(Object.keys(pick(objects, 'ConfigMap').data).sort()).toEqual(
      Object.keys(pick(terraform, 'ConfigMap').data).sort(),
    );
    expect(pick(objects, 'ConfigMap').data.RETAIL_CART_PERSISTENCE_DYNAMODB_TABLE_NAME).toBe(
      config.cart.tableName,
    );
    expect(pick(objects, 'Service').spec).toEqual(pick(terraform, 'Service').spec);
    expect(pick(objects, 'HorizontalPodAutoscaler').spec).toEqual(
      pick(terraform, 'HorizontalPodAutoscaler').spec,
    );
  });
});

describe('with secrets mounted through the CSI driver', () => {
  test('the SecretProviderClass goes to the manifests, not to Terraform, in GitOps mode', () => {
    const secrets = { cart: { secrets: ['retail/cart/api-key'] } };
    const manifests = cartManifests(environmentConfig('dev', secrets)).map((m) => m.file);
    expect(manifests).toContain('secretproviderclass-carts-secrets.yaml');
    const kinds = terraformObjects('dev', { ...GITOPS, ...secrets }).map((o) => o.kind);
    expect(kinds.sort()).toEqual(['Application', 'Namespace', 'ServiceAccount']);
  });
});
