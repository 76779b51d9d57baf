import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CartWorkloadStack } from '../../stacks/cart-workload-stack';
import { environmentConfig } from '../../stacks/config/environments';
import { buildTestPlatform, resourcesOf, synthStack, type SynthJson } from '../helpers/synth';

const GITOPS = {
  gitops: { enabled: true, repoUrl: 'https://github.com/acme/cart-platform.git' },
  addons: { argoCd: { enabled: true } },
} as const;

function synth(environment: string, overrides = {}): { workload: SynthJson; platform: SynthJson } {
  const { stacks } = buildTestPlatform(environment, overrides);
  return {
    workload: synthStack(stacks.cartWorkload as CartWorkloadStack),
    platform: synthStack(stacks.clusterAddons as never),
  };
}

/** Copied from /work/shared/reference/charts/ (the Application CRD of argo-cd 10.1.1). */
const CRD_SCHEMA = join(__dirname, '../fixtures/charts/argo-cd-10.1.1.Application.schema.json');

interface OpenApi {
  readonly type?: string;
  readonly properties?: Record<string, OpenApi>;
  readonly required?: readonly string[];
  readonly items?: OpenApi;
  readonly additionalProperties?: OpenApi | boolean;
  readonly enum?: readonly unknown[];
}

/** Structural OpenAPI v3 check as the API server does it, strictly: unknown fields are problems. */
function schemaProblems(value: unknown, schema: OpenApi, path: string): string[] {
  if (schema.enum !== undefined && !schema.enum.includes(value)) return [`${path}: not one of the enum`];
  if (schema.type === 'array') {
    if (!Array.isArray(value)) return [`${path}: not an array`];
    return value.flatMap((item, i) =>
      schema.items ? schemaProblems(item, schema.items, `${path}[${i}]`) : [],
    );
  }
  if (schema.type === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return [`${path}: not an object`];
    const record = value as Record<string, unknown>;
    const missing = (schema.required ?? []).filter((k) => !(k in record)).map((k) => `${path}: missing ${k}`);
    // metadata (checked by the API server itself) and preserve-unknown-fields objects declare no properties.
    if (schema.properties === undefined && schema.additionalProperties === undefined) return missing;
    const fields = Object.entries(record).flatMap(([k, v]) => {
      const sub =
        schema.properties?.[k] ??
        (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      return sub === undefined ? [`${path}.${k}: not in the schema`] : schemaProblems(v, sub, `${path}.${k}`);
    });
    return [...missing, ...fields];
  }
  if (
    schema.type !== undefined &&
    schema.type !== typeof value &&
    !(schema.type === 'integer' && Number.isInteger(value))
  )
    return [`${path}: not a ${schema.type}`];
  return [];
}

describe('GitOps mode (gitops.enabled)', () => {
  test('Terraform keeps only the namespace and the ServiceAccount; Argo CD gets an Application', () => {
    const { workload } = synth('dev', GITOPS);
    const types = Object.keys(workload.resource ?? {}).sort();
    expect(types).toEqual([
      'kubernetes_manifest',
      'kubernetes_namespace_v1',
      'kubernetes_service_account_v1',
    ]);
  });

  test('the namespace and ServiceAccount keep their Terraform addresses across the switch', () => {
    const before = synth('dev').workload.resource ?? {};
    const after = synth('dev', GITOPS).workload.resource ?? {};
    for (const type of ['kubernetes_namespace_v1', 'kubernetes_service_account_v1']) {
      expect(Object.keys(after[type])).toEqual(Object.keys(before[type]));
    }
  });

  test('the Application syncs deploy/manifests/<env> automatically, with prune and self-heal', () => {
    const [app] = resourcesOf(synth('prod', GITOPS).workload, 'kubernetes_manifest');
    expect(app.manifest).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'carts',
        namespace: 'argocd',
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://github.com/acme/cart-platform.git',
          targetRevision: 'main',
          path: 'deploy/manifests/prod',
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'carts' },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=false'] },
      },
    });
  });

  test('the Application is valid against the argo-cd 10.1.1 CRD schema, strictly', () => {
    const crd = JSON.parse(readFileSync(CRD_SCHEMA, 'utf8')) as { versions: { v1alpha1: OpenApi } };
    const schema = crd.versions.v1alpha1;
    const [app] = resourcesOf(synth('dev', GITOPS).workload, 'kubernetes_manifest');
    expect(schemaProblems(app.manifest, schema, '')).toEqual([]);
    expect(schemaProblems({ ...(app.manifest as object), spec: { sourc: {} } }, schema, '')).toEqual([
      '.spec: missing destination',
      '.spec: missing project',
      '.spec.sourc: not in the schema',
    ]);
  });

  test('Argo CD is installed by the platform stack, pinned', () => {
    const releases = resourcesOf(synth('dev', GITOPS).platform, 'helm_release').filter(
      (r) => r.chart === 'argo-cd',
    );
    expect(releases.map((r) => [r.name, r.repository, r.version, r.namespace])).toEqual([
      [
        'argo-cd',
        'https://argoproj.github.io/argo-helm',
        '10.1.1',
        expect.stringMatching(
          /^\$\{kubernetes_namespace_v1\.argo-cd_namespace_[0-9A-F]{8}\.metadata\[0\]\.name\}$/,
        ),
      ],
    ]);
  });

  test.each([
    [{ gitops: { enabled: true } }, 'gitops.repoUrl: undefined — is required when gitops.enabled'],
    [{ gitops: GITOPS.gitops }, 'addons.argoCd.enabled: false — must be true when gitops.enabled'],
    [
      { gitops: { repoUrl: 'ftp://x' } },
      'gitops.repoUrl: "ftp://x" — must be an https://, ssh:// or git@ Git URL',
    ],
  ])('refuses %j', (overrides, message) => {
    expect(() => environmentConfig('dev', overrides)).toThrow(message);
  });
});
