import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CORE_ADDONS, PLATFORM_ADDONS, enabledAddons, installOrder } from '../../../modules/addons/registry';
import { environmentConfig } from '../../../stacks/config/environments';

describe('registry', () => {
  test('installOrder: webhook providers first, then the others, each group in registry order', () => {
    const entry = (name: string, providesWebhooks?: boolean) => ({ name, addon: { providesWebhooks } });
    const ordered = installOrder([
      entry('a'),
      entry('b', true),
      entry('c', false),
      entry('d', true),
      entry('e'),
    ]);
    expect(ordered.map((e) => e.name)).toEqual(['b', 'd', 'a', 'c', 'e']);
  });

  test('installOrder: the Load Balancer Controller (webhooks) comes first among the platform add-ons', () => {
    const ordered = installOrder(enabledAddons(environmentConfig('dev').addons));
    expect(ordered.map((e) => e.addon.id)).toEqual([
      'aws-load-balancer-controller',
      'ebs-csi-driver',
      'external-dns',
      'metrics-server',
      'secrets-store-csi',
      'karpenter',
      'cloudwatch-observability',
    ]);
  });

  test('enabledAddons: each enabled add-on with its own settings object, disabled ones left out', () => {
    const settings = environmentConfig('dev', { addons: { metricsServer: { enabled: false } } }).addons;
    const enabled = enabledAddons(settings);
    expect(enabled.map((e) => e.key)).toEqual([
      'ebsCsi',
      'externalDns',
      'loadBalancerController',
      'secretsStoreCsi',
      'karpenter',
      'cloudwatchObservability',
    ]);
    for (const { key, addon, settings: own } of enabled) {
      expect(addon).toBe(PLATFORM_ADDONS[key]);
      expect(own).toBe(settings[key]);
    }
  });

  test('ids are unique and kebab-case, and every add-on has at least one part', () => {
    const all = [...Object.values(PLATFORM_ADDONS), ...CORE_ADDONS];
    const ids = all.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const addon of all) {
      expect(addon.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(addon.aws !== undefined || addon.cluster !== undefined, addon.id).toBe(true);
    }
  });

  test("every platform add-on's defaults pass its own settings schema, enabled but the opt-in Argo CD", () => {
    for (const addon of Object.values(PLATFORM_ADDONS)) {
      expect(addon.settingsSchema.parse(addon.defaults), addon.id).toEqual(addon.defaults);
    }
    const optIn = Object.values(PLATFORM_ADDONS).filter((a) => !a.defaults.enabled);
    expect(optIn.map((a) => a.id)).toEqual(['argo-cd']);
  });

  test('core add-ons: Pod Identity agent, VPC CNI and kube-proxy before the nodes, CoreDNS after', () => {
    expect(CORE_ADDONS.map((a) => `${a.phase}: ${a.id}`)).toEqual([
      'before-nodes: eks-pod-identity-agent',
      'before-nodes: vpc-cni',
      'before-nodes: kube-proxy',
      'after-nodes: coredns',
    ]);
  });

  test('docs/addons.md: one table row per add-on, with its config key, summary and phase', () => {
    const docs = readFileSync(join(__dirname, '../../../docs/addons.md'), 'utf8');
    const rows = new Map(
      docs
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .map((line) =>
          line
            .slice(1, -1)
            .split(' | ')
            .map((cell) => cell.trim()),
        )
        .map((cells) => [cells[0], cells] as const),
    );
    for (const [key, addon] of Object.entries(PLATFORM_ADDONS)) {
      expect(rows.get(`\`${addon.id}\``)?.slice(1, 3), addon.id).toEqual([
        `\`addons.${key}\``,
        addon.summary,
      ]);
    }
    for (const addon of CORE_ADDONS) {
      expect(rows.get(`\`${addon.id}\``)?.slice(1, 3), addon.id).toEqual([
        `\`${addon.phase}\``,
        addon.summary,
      ]);
    }
  });
});
