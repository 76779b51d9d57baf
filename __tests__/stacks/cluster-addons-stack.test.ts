import { App, type ITerraformDependable, type TerraformResource, type TerraformStack } from 'cdktf';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES_DIR, keysFileName, unreadValueKeys, type ChartKeysFile } from '../../scripts/chart-keys';
import { LOAD_BALANCER_CONTROLLER_DEFAULTS } from '../../modules/addons/load-balancer-controller';
import { PLATFORM_ADDONS, type PlatformAddonKey } from '../../modules/addons/registry';
import { deepMerge, type EnvironmentOverrides } from '../../stacks/config/schema';
import { environmentConfig } from '../../stacks/config/environments';
import { ClusterAddonsStack } from '../../stacks/cluster-addons-stack';
import {
  buildTestPlatform,
  onlyResource,
  resourceIds,
  resourcesOf,
  synthStack,
  type SynthJson,
} from '../helpers/synth';

const REMOTE = '${data.terraform_remote_state.cross-stack-reference-input-';

function platform(overrides?: EnvironmentOverrides, environment = 'dev') {
  const { stacks } = buildTestPlatform(environment, overrides);
  return {
    stacks,
    platform: synthStack(stacks.clusterAddons as TerraformStack),
    addons: synthStack(stacks.awsAddons as TerraformStack),
  };
}

const ZONE = 'Z0123456789ABCDEFGHIJ';
const TOLERATION = { key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' };
const WITH_DNS: EnvironmentOverrides = {
  addons: { externalDns: { hostedZoneIds: [ZONE], domainFilters: ['retail.example.com'] } },
};
/** The Terraform address of a resource an add-on part returned. */
const address = (dependable: ITerraformDependable) => {
  const resource = dependable as TerraformResource;
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
};
const allAddresses = (json: SynthJson) =>
  Object.entries(json.resource ?? {}).flatMap(([type, byId]) =>
    Object.keys(byId).map((id) => `${type}.${id}`),
  );

const releases = (json: SynthJson) =>
  Object.fromEntries(resourcesOf(json, 'helm_release').map((r) => [r.name as string, r]));
const values = (release: Record<string, unknown>) =>
  JSON.parse((release.values as string[])[0]) as Record<string, unknown>;

describe('ClusterAddonsStack', () => {
  test('kubernetes and helm providers authenticate with exec (aws eks get-token), never a static token', () => {
    const json = platform().platform;
    const exec = {
      api_version: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: [
        'eks',
        'get-token',
        '--cluster-name',
        expect.stringMatching(
          /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-cluster\..*name\}$/,
        ),
        '--region',
        'us-east-1',
        '--output',
        'json',
      ],
    };
    const [kubernetes] = json.provider?.kubernetes as Array<Record<string, unknown>>;
    const [helm] = json.provider?.helm as Array<Record<string, Record<string, unknown>>>;
    expect(kubernetes.exec).toEqual([exec]);
    expect(helm.kubernetes.exec).toEqual(exec);
    for (const connection of [kubernetes, helm.kubernetes]) {
      expect(connection.host).toMatch(
        /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-cluster\..*endpoint\}$/,
      );
      expect(connection.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\./);
      expect(connection.token).toBeUndefined();
    }
    expect(json.data?.aws_eks_cluster_auth).toBeUndefined();
    expect(Object.keys(json.provider ?? {}).sort()).toEqual(['helm', 'kubernetes']);
  });

  test('Load Balancer Controller: chart 3.5.0, cluster/region/VPC from the other stacks, 2 replicas, waits', () => {
    const lbc = releases(platform().platform)['aws-load-balancer-controller'];
    expect(lbc).toMatchObject({
      chart: 'aws-load-balancer-controller',
      repository: 'https://aws.github.io/eks-charts',
      version: '3.5.0',
      namespace: 'kube-system',
      wait: true,
    });
    const v = values(lbc);
    expect(v.clusterName).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-cluster\..*name\}$/,
    );
    expect(v.region).toBe('us-east-1');
    expect(v.vpcId).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-network\..*aws_vpc.*id\}$/,
    );
    expect(v.replicaCount).toBe(2);
    expect(v.serviceAccount).toEqual({ create: true, name: 'aws-load-balancer-controller' });
  });

  test('the LBC chart runs as exactly the service account its Pod Identity association (addons stack) names', () => {
    const { platform: json, addons } = platform();
    const lbc = releases(json)['aws-load-balancer-controller'];
    const association = resourcesOf(addons, 'aws_eks_pod_identity_association').find(
      (a) => a.service_account === (values(lbc).serviceAccount as { name: string }).name,
    );
    expect(association).toBeDefined();
    expect(association?.namespace).toBe(lbc.namespace);
    expect(association?.service_account).toBe(LOAD_BALANCER_CONTROLLER_DEFAULTS.serviceAccount);
  });

  test('Secrets Store CSI driver and AWS provider: charts, versions, values; both after the LBC webhook', () => {
    const json = platform().platform;
    const all = releases(json);
    const driver = all['secrets-store-csi-driver'];
    const provider = all['secrets-store-csi-driver-provider-aws'];
    expect([driver.chart, driver.repository, driver.version]).toEqual([
      'secrets-store-csi-driver',
      'https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts',
      '1.6.0',
    ]);
    expect([provider.chart, provider.repository, provider.version]).toEqual([
      'secrets-store-csi-driver-provider-aws',
      'https://aws.github.io/secrets-store-csi-driver-provider-aws',
      '3.1.1',
    ]);
    expect(values(driver)).toEqual({
      syncSecret: { enabled: true },
      enableSecretRotation: true,
      rotationPollInterval: '2m',
      tokenRequests: [{ audience: 'sts.amazonaws.com' }, { audience: 'pods.eks.amazonaws.com' }],
      // Node plugins: on the system nodes too (Karpenter is on, so they carry CriticalAddonsOnly).
      linux: { tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }] },
    });
    expect(values(provider)).toEqual({
      'secrets-store-csi-driver': { install: false },
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }],
    });
    const ids = resourceIds(json, 'helm_release');
    const lbcRef = `helm_release.${ids.find((id) => id.startsWith('aws-load-balancer-controller'))}`;
    const driverRef = `helm_release.${ids.find((id) => id.startsWith('secrets-store-csi_driver'))}`;
    expect(driver.depends_on).toEqual([lbcRef]);
    expect(provider.depends_on).toEqual([lbcRef, driverRef]);
  });

  test('rotation poll interval and chart versions come from config', () => {
    const all = releases(
      platform({
        addons: {
          secretsStoreCsi: {
            rotationPollInterval: '10m',
            chartVersion: '1.5.4',
            providerChartVersion: '2.1.0',
          },
          loadBalancerController: { chartVersion: '3.4.0', replicas: 3 },
        },
      }).platform,
    );
    expect(values(all['secrets-store-csi-driver']).rotationPollInterval).toBe('10m');
    expect(all['secrets-store-csi-driver'].version).toBe('1.5.4');
    expect(all['secrets-store-csi-driver-provider-aws'].version).toBe('2.1.0');
    expect(all['aws-load-balancer-controller'].version).toBe('3.4.0');
    expect(values(all['aws-load-balancer-controller']).replicaCount).toBe(3);
  });

  test('gp3 is the default StorageClass; gp2 (absent or not default on a 1.30+ cluster) is not patched', () => {
    const json = platform().platform;
    expect(onlyResource(json, 'kubernetes_storage_class_v1')).toEqual({
      metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      storage_provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true' },
      volume_binding_mode: 'WaitForFirstConsumer',
      allow_volume_expansion: true,
      reclaim_policy: 'Delete',
    });
    expect(resourcesOf(json, 'kubernetes_annotations')).toEqual([]);
  });

  test('unsetGp2Default (a cluster created before 1.30 and upgraded): gp2 is annotated as not default', () => {
    const json = platform({ addons: { ebsCsi: { unsetGp2Default: true } } }).platform;
    expect(onlyResource(json, 'kubernetes_annotations')).toMatchObject({
      kind: 'StorageClass',
      metadata: { name: 'gp2' },
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' },
      force: true,
    });
  });

  test('a configured customer key goes into the StorageClass (and the driver role gets its grants)', () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const json = platform({ addons: { ebsCsi: { kmsKeyArn: key } } }).platform;
    expect(onlyResource(json, 'kubernetes_storage_class_v1').parameters).toEqual({
      type: 'gp3',
      encrypted: 'true',
      kmsKeyId: key,
    });
  });

  test('defaultStorageClass off: gp3 exists but is not the default, and gp2 is untouched', () => {
    const json = platform({ addons: { ebsCsi: { defaultStorageClass: false } } }).platform;
    const sc = onlyResource(json, 'kubernetes_storage_class_v1') as {
      metadata: { annotations: Record<string, string> };
    };
    expect(sc.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('false');
    expect(resourcesOf(json, 'kubernetes_annotations')).toEqual([]);
  });

  test('switching the Load Balancer Controller off removes its role, association and release', () => {
    const on = platform();
    const off = platform({ addons: { loadBalancerController: { enabled: false } } });
    const lbcAssociation = (json: SynthJson) =>
      resourcesOf(json, 'aws_eks_pod_identity_association').filter(
        (a) => a.service_account === 'aws-load-balancer-controller',
      );
    const lbcRole = (json: SynthJson) =>
      resourcesOf(json, 'aws_iam_role').filter((r) =>
        (r.name as string).endsWith('-aws-load-balancer-controller'),
      );
    expect([lbcAssociation(on.addons).length, lbcRole(on.addons).length]).toEqual([1, 1]);
    expect(Object.keys(releases(on.platform))).toContain('aws-load-balancer-controller');

    expect(lbcAssociation(off.addons)).toEqual([]);
    expect(lbcRole(off.addons)).toEqual([]);
    expect(
      resourcesOf(off.addons, 'aws_iam_policy').filter((p) => !String(p.name).includes('-karpenter-')),
    ).toEqual([]);
    expect(Object.keys(releases(off.platform)).sort()).toEqual([
      'karpenter',
      'secrets-store-csi-driver',
      'secrets-store-csi-driver-provider-aws',
    ]);
    // Without the controller there is no webhook to wait for.
    expect(releases(off.platform)['secrets-store-csi-driver'].depends_on).toBeUndefined();
  });

  test('switching Secrets Store CSI off removes both releases', () => {
    const json = platform({ addons: { secretsStoreCsi: { enabled: false } } }).platform;
    expect(Object.keys(releases(json))).toEqual(['aws-load-balancer-controller', 'karpenter']);
  });

  test('switching EBS CSI off removes the add-on, its role and association, and the StorageClass', () => {
    const { platform: json, addons } = platform({ addons: { ebsCsi: { enabled: false } } });
    expect(resourcesOf(json, 'kubernetes_storage_class_v1')).toEqual([]);
    expect(resourcesOf(json, 'kubernetes_annotations')).toEqual([]);
    expect(resourcesOf(addons, 'aws_eks_addon').map((a) => a.addon_name)).not.toContain('aws-ebs-csi-driver');
    expect(
      resourcesOf(addons, 'aws_eks_pod_identity_association').map((a) => a.service_account),
    ).not.toContain('ebs-csi-controller-sa');
  });

  test('with Karpenter, the controllers run on the system node group; without it, anywhere', () => {
    const system = { nodeSelector: { 'node-role': 'system' }, tolerations: [TOLERATION] };
    const on = platform({ addons: { argoCd: { enabled: true } } });
    const all = releases(on.platform);
    expect(values(all['aws-load-balancer-controller'])).toMatchObject(system);
    expect(values(all['argo-cd'])).toMatchObject({
      global: {
        tolerations: [TOLERATION],
        affinity: {
          nodeAffinity: {
            type: 'hard',
            matchExpressions: [{ key: 'node-role', operator: 'In', values: ['system'] }],
          },
        },
      },
    });
    for (const [name, release] of Object.entries(all)) {
      const keys = JSON.parse(
        readFileSync(join(FIXTURES_DIR, keysFileName(name, String(release.version))), 'utf8'),
      ) as ChartKeysFile;
      expect(unreadValueKeys(values(release) as Record<string, unknown>, keys.keys), name).toEqual([]);
    }
    const karpenter = values(all.karpenter) as { tolerations: unknown; affinity: unknown };
    expect(karpenter.tolerations).toEqual([TOLERATION]);
    expect(JSON.stringify(karpenter.affinity)).toContain(
      '{"key":"karpenter.sh/nodepool","operator":"DoesNotExist"},{"key":"node-role","operator":"In","values":["system"]}',
    );
    const ebs = resourcesOf(on.addons, 'aws_eks_addon').find((a) => a.addon_name === 'aws-ebs-csi-driver');
    expect(JSON.parse(String(ebs?.configuration_values))).toEqual({ controller: system });

    const off = platform({ addons: { argoCd: { enabled: true }, karpenter: { enabled: false } } });
    for (const release of Object.values(releases(off.platform))) {
      expect(JSON.stringify(values(release))).not.toContain('CriticalAddonsOnly');
    }
    const plainEbs = resourcesOf(off.addons, 'aws_eks_addon').find(
      (a) => a.addon_name === 'aws-ebs-csi-driver',
    );
    expect(plainEbs?.configuration_values).toBeUndefined();
  });

  test("the platform stack deploys after the add-ons stack (the charts' associations first)", () => {
    const { stacks } = platform();
    expect(stacks.clusterAddons?.dependencies).toContain(stacks.awsAddons);
    expect(stacks.clusterAddons?.dependencies).toContain(stacks.cluster);
  });

  test.each(Object.keys(PLATFORM_ADDONS) as PlatformAddonKey[])(
    'registry: %s has releases or objects iff it is enabled and has a cluster part',
    (key) => {
      const addon = PLATFORM_ADDONS[key];
      // Opt-in add-ons (Argo CD) are switched on here.
      const on = platform(deepMerge(WITH_DNS, { addons: { [key]: { enabled: true } } }));
      const off = platform(deepMerge(WITH_DNS, { addons: { [key]: { enabled: false } } }));
      expect(Object.keys(on.stacks.clusterAddons?.installed ?? {}).includes(addon.id)).toBe(
        addon.cluster !== undefined,
      );
      expect(Object.keys(off.stacks.clusterAddons?.installed ?? {})).not.toContain(addon.id);
      const [onAddresses, offAddresses] = [allAddresses(on.platform), allAddresses(off.platform)];
      expect(offAddresses.filter((a) => !onAddresses.includes(a))).toEqual([]);
      expect(onAddresses.length > offAddresses.length).toBe(addon.cluster !== undefined);
      // What the part says it installed is in the synthesized stack.
      for (const dependable of on.stacks.clusterAddons?.installed[addon.id]?.installed ?? []) {
        expect(onAddresses).toContain(address(dependable));
      }
    },
  );

  test('ordering rule: every release of an add-on without webhooks depends on every webhook provider release', () => {
    const { stacks, platform: json } = platform();
    const installed = stacks.clusterAddons?.installed ?? {};
    const byAddress = Object.fromEntries(
      Object.entries(json.resource?.helm_release ?? {}).map(([id, release]) => [
        `helm_release.${id}`,
        release,
      ]),
    );
    const providers = Object.values(PLATFORM_ADDONS).filter((a) => a.providesWebhooks === true);
    const providerReleases = providers.flatMap((a) => (installed[a.id]?.installed ?? []).map(address));
    expect(providerReleases).toEqual([
      expect.stringMatching(/^helm_release\.aws-load-balancer-controller_chart_/),
    ]);
    for (const release of providerReleases) {
      expect([byAddress[release].wait, byAddress[release].depends_on]).toEqual([true, undefined]);
    }
    const waiting = Object.values(PLATFORM_ADDONS)
      .filter((a) => a.providesWebhooks !== true)
      .flatMap((a) => (installed[a.id]?.installed ?? []).map(address))
      .filter((a) => a.startsWith('helm_release.'));
    expect(waiting).toHaveLength(3);
    for (const release of waiting) {
      expect(byAddress[release].depends_on).toEqual(expect.arrayContaining(providerReleases));
    }
  });

  test("the environment defaults are the add-ons' defaults (versions pinned once, in the add-on files)", () => {
    const config = environmentConfig('dev').addons;
    for (const [key, addon] of Object.entries(PLATFORM_ADDONS)) {
      expect(config[key as PlatformAddonKey], key).toEqual(addon.defaults);
    }
    expect(config.loadBalancerController.chartVersion).toBe(LOAD_BALANCER_CONTROLLER_DEFAULTS.chart.version);
    expect(Object.keys(config)).toEqual(Object.keys(PLATFORM_ADDONS));
  });

  test('throws when the LBC is enabled but the add-ons stack provides no identity for it', () => {
    const { stacks } = buildTestPlatform('dev');
    const cluster = stacks.cluster?.outputs;
    const network = stacks.network?.outputs;
    if (cluster === undefined || network === undefined) throw new Error('no cluster stack');
    expect(
      () =>
        new ClusterAddonsStack(new App(), 'platform', {
          config: environmentConfig('dev'),
          cluster,
          network,
          addons: { identities: {}, exports: {} },
        }),
    ).toThrow(
      'aws-load-balancer-controller: its cluster part needs the identity its AWS part creates, and the addons ' +
        'stack\'s outputs have none for "aws-load-balancer-controller"; build both add-on stacks from the same configuration',
    );
  });

  test('no remote-state read it does not need: cluster and network, and addons for Karpenter’s queue and node role', () => {
    const json = platform().platform;
    expect(Object.keys(json.data?.terraform_remote_state ?? {}).sort()).toEqual([
      'cross-stack-reference-input-addons',
      'cross-stack-reference-input-cluster',
      'cross-stack-reference-input-network',
    ]);
    const withoutKarpenter = platform({ addons: { karpenter: { enabled: false } } }).platform;
    expect(Object.keys(withoutKarpenter.data?.terraform_remote_state ?? {}).sort()).toEqual([
      'cross-stack-reference-input-cluster',
      'cross-stack-reference-input-network',
    ]);
    expect(JSON.stringify(withoutKarpenter)).not.toContain(`${REMOTE}addons`);
  });
});
