/**
 * The Kubernetes side, which cannot be applied here (no cluster, no kubernetes/helm provider binaries): every
 * Kubernetes object the Helm/Kubernetes stacks would create is checked against the Kubernetes 1.34 API schemas,
 * strictly (unknown fields are errors), for each environment and for the optional features that add objects.
 */
import { App } from 'cdktf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { EnvironmentOverrides } from '../../stacks/config/schema';
import { environmentConfig } from '../../stacks/config/environments';
import { buildPlatform } from '../../stacks/platform-app';
import { kubernetesObjects } from './harness/kubernetes-objects';
import { validateKubernetesObject, validatePatch } from './harness/kubernetes-schema';
import { readSynthesized, type SynthesizedStack } from './harness/synth';

const workDir = mkdtempSync(join(tmpdir(), 'cart-k8s-schema-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function synthesize(name: string, environment: string, overrides?: EnvironmentOverrides): SynthesizedStack[] {
  const outdir = join(workDir, name);
  const app = new App({ outdir });
  buildPlatform(app, environmentConfig(environment, overrides));
  app.synth();
  return readSynthesized(outdir);
}

const VARIANTS: ReadonlyArray<[string, string, EnvironmentOverrides | undefined]> = [
  ['dev', 'dev', undefined],
  ['prod', 'prod', undefined],
  // Optional objects: the SecretProviderClass (kubernetes_manifest) and the CSI volume in the Deployment.
  ['dev with cart secrets', 'dev', { cart: { secrets: ['retail/cart/api'] } }],
];

describe.each(VARIANTS)(
  '%s: Kubernetes objects match the Kubernetes API schemas',
  (label, environment, overrides) => {
    const stacks = synthesize(label.replace(/\W+/g, '-'), environment, overrides).filter((s) =>
      s.providers.some((p) => p.name === 'kubernetes'),
    );

    test('there are Kubernetes stacks to check', () => {
      expect(stacks.length).toBeGreaterThan(0);
    });

    test.each(stacks.map((s) => [s.id, s] as const))('%s', async (_id, stack) => {
      const { objects, patches, unchecked } = kubernetesObjects(stack.json);
      const problems: string[] = [];
      const summary: string[] = [];
      for (const { address, object } of objects) {
        const result = await validateKubernetesObject(object);
        summary.push(`${object.kind}${result.schemaFound ? '' : ' (no published schema: envelope only)'}`);
        for (const p of result.problems) problems.push(`${address} ${object.kind} ${p.path}: ${p.message}`);
      }
      for (const { address, patch } of patches) {
        const result = await validatePatch(patch);
        summary.push(`patch of ${patch.kind}`);
        for (const p of result.problems) problems.push(`${address} ${p.path}: ${p.message}`);
      }
      console.log(
        `${label} / ${stack.id}: ${objects.length + patches.length} checked (${summary.join(', ')})` +
          (unchecked.length > 0 ? `; not checkable: ${unchecked.join(', ')}` : ''),
      );
      expect(problems).toEqual([]);
    });
  },
);

test('the cart workload is among the checked objects', () => {
  // Exposed (an Ingress needs a certificate) and with a secret mounted: every kind the cart can have.
  const stacks = synthesize('kinds', 'dev', {
    cart: {
      secrets: ['retail/cart/api'],
      exposure: 'internal',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    },
  });
  const kinds = stacks.flatMap((s) => kubernetesObjects(s.json).objects.map((o) => o.object.kind)).sort();
  expect(kinds).toEqual(
    expect.arrayContaining([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Ingress',
      'Namespace',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'SecretProviderClass',
      'Service',
      'ServiceAccount',
      'StorageClass',
    ]),
  );
});
