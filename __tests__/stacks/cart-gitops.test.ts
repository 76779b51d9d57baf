import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
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
    const crd = JSON.parse(readFileSync(CRD_SCHEMA, 'utf8')) as {
      versions: { v1alpha1: Record<string, unknown> };
    };
    const strict = (schema: unknown): unknown => {
      if (Array.isArray(schema)) return schema.map(strict);
      if (schema === null || typeof schema !== 'object') return schema;
      const out = Object.fromEntries(
        Object.entries(schema)
          .filter(([k]) => !k.startsWith('x-kubernetes') && k !== 'format')
          .map(([k, v]) => [k, strict(v)]),
      ) as Record<string, unknown>;
      if (out.properties !== undefined && out.additionalProperties === undefined)
        out.additionalProperties = false;
      return out;
    };
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(
      strict(crd.versions.v1alpha1) as object,
    );
    const [app] = resourcesOf(synth('dev', GITOPS).workload, 'kubernetes_manifest');
    expect(validate(app.manifest), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...(app.manifest as object), spec: { sourc: {} } })).toBe(false);
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
