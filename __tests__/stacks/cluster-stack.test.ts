import type { TerraformStack } from 'cdktf';
import { describe, expect, test } from 'vitest';
import { CORE_ADDONS } from '../../modules/addons/registry';
import { buildTestPlatform, onlyResource, resourcesOf, synthStack, type SynthJson } from '../helpers/synth';

function clusterJson(environment = 'dev', overrides?: Parameters<typeof buildTestPlatform>[1]): SynthJson {
  const { stacks } = buildTestPlatform(environment, overrides);
  return synthStack(stacks.cluster as TerraformStack);
}

/** The pinned version of a core add-on for Kubernetes 1.35 (the dev and prod clusters). */
function pinned(name: string): string {
  const addon = CORE_ADDONS.find((a) => a.id === name);
  if (addon === undefined) throw new Error(`no core add-on ${name}`);
  return addon.versions['1.35'];
}

function addonsByName(json: SynthJson): Record<string, Record<string, unknown>> {
  return Object.fromEntries(resourcesOf(json, 'aws_eks_addon').map((a) => [a.addon_name as string, a]));
}

const ADMIN_POLICY_OF_PARTITION =
  'arn:${data.aws_partition.partition.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

describe('ClusterStack', () => {
  test('cluster access: an entry and cluster-admin for each admin and the deployer, none for the node role', () => {
    const admin = 'arn:aws:iam::123456789012:role/platform-admins';
    const deployer = 'arn:aws:iam::123456789012:role/ci-deployer';
    const json = clusterJson('dev', { access: { creatorAdmin: false, admins: [admin], deployer } });
    expect(resourcesOf(json, 'aws_eks_access_entry')).toEqual([
      expect.objectContaining({ principal_arn: admin, type: 'STANDARD' }),
      expect.objectContaining({ principal_arn: deployer, type: 'STANDARD' }),
    ]);
    expect(resourcesOf(json, 'aws_eks_access_policy_association').map((a) => a.policy_arn)).toEqual([
      ADMIN_POLICY_OF_PARTITION,
      ADMIN_POLICY_OF_PARTITION,
    ]);
    expect(onlyResource(json, 'aws_eks_cluster').access_config).toEqual({
      authentication_mode: 'API',
      bootstrap_cluster_creator_admin_permissions: false,
    });
  });

  test('dev: the creator is admin and no access entry is created', () => {
    const json = clusterJson();
    expect(resourcesOf(json, 'aws_eks_access_entry')).toEqual([]);
    expect(onlyResource(json, 'aws_eks_cluster').upgrade_policy).toEqual({ support_type: 'STANDARD' });
  });

  test('core add-ons pinned to the Kubernetes version row, conflicts overwritten on create, preserved on update', () => {
    const addons = addonsByName(clusterJson());
    expect(Object.keys(addons).sort()).toEqual([
      'coredns',
      'eks-pod-identity-agent',
      'kube-proxy',
      'vpc-cni',
    ]);
    for (const [name, addon] of Object.entries(addons)) {
      expect(addon.addon_version).toBe(pinned(name));
      expect(addon.resolve_conflicts_on_create).toBe('OVERWRITE');
      expect(addon.resolve_conflicts_on_update).toBe('PRESERVE');
    }
  });

  test('node groups wait for the pod identity agent, the CNI and kube-proxy; CoreDNS waits for the node groups', () => {
    const json = clusterJson();
    const group = onlyResource(json, 'aws_eks_node_group');
    const dependsOn = group.depends_on as string[];
    for (const name of ['eks-pod-identity-agent', 'vpc-cni', 'kube-proxy']) {
      expect(
        dependsOn.some((d) => d.startsWith('aws_eks_addon.addon-' + name)),
        name,
      ).toBe(true);
    }
    expect(dependsOn.filter((d) => d.startsWith('aws_iam_role_policy_attachment.'))).toHaveLength(4);
    const corednsDependsOn = addonsByName(json).coredns.depends_on as string[];
    expect(corednsDependsOn).toEqual([
      expect.stringMatching(/^aws_eks_node_group\.node-group-general_node-group_/),
    ]);
  });

  test('core add-ons: one EKS add-on each at its root address, in its phase, reported by id', () => {
    const { stacks } = buildTestPlatform('dev');
    const json = synthStack(stacks.cluster as TerraformStack);
    expect(Object.keys(json.resource?.aws_eks_addon ?? {}).sort()).toEqual(
      CORE_ADDONS.map((a) => `addon-${a.id}`).sort(),
    );
    const group = onlyResource(json, 'aws_eks_node_group');
    for (const addon of CORE_ADDONS) {
      const waitedFor = (group.depends_on as string[]).includes(`aws_eks_addon.addon-${addon.id}`);
      expect(waitedFor, addon.id).toBe(addon.phase === 'before-nodes');
      const dependsOn = json.resource?.aws_eks_addon[`addon-${addon.id}`].depends_on as string[];
      expect(dependsOn.length > 0, addon.id).toBe(addon.phase === 'after-nodes');
    }
    expect(Object.keys(stacks.cluster?.coreAddons ?? {})).toEqual(CORE_ADDONS.map((a) => a.id));
  });

  test('dev and prod run Kubernetes 1.35 with the 1.35 rows and an explicit STANDARD upgrade policy', () => {
    for (const environment of ['dev', 'prod']) {
      const json = clusterJson(environment);
      const cluster = onlyResource(json, 'aws_eks_cluster');
      expect([cluster.version, cluster.upgrade_policy], environment).toEqual([
        '1.35',
        { support_type: 'STANDARD' },
      ]);
      const addons = addonsByName(json);
      expect(Object.fromEntries(Object.entries(addons).map(([name, a]) => [name, a.addon_version]))).toEqual({
        'eks-pod-identity-agent': 'v1.3.10-eksbuild.2',
        'vpc-cni': 'v1.21.1-eksbuild.3',
        'kube-proxy': 'v1.35.0-eksbuild.2',
        coredns: 'v1.13.1-eksbuild.1',
      });
      expect(json.data?.aws_eks_addon_version, environment).toBeUndefined();
    }
  });

  test('a Kubernetes 1.34 cluster gets the 1.34 rows', () => {
    const addons = addonsByName(clusterJson('dev', { cluster: { kubernetesVersion: '1.34' } }));
    expect([addons['kube-proxy'].addon_version, addons.coredns.addon_version]).toEqual([
      'v1.34.1-eksbuild.2',
      'v1.12.4-eksbuild.1',
    ]);
  });

  test('most-recent: a core add-on resolved at plan time by aws_eks_addon_version for the cluster minor', () => {
    const json = clusterJson('dev', { cluster: { coreAddonVersions: { coredns: 'most-recent' } } });
    expect(json.data?.aws_eks_addon_version).toEqual({
      'addon-coredns-version': { addon_name: 'coredns', kubernetes_version: '1.35', most_recent: true },
    });
    expect(addonsByName(json).coredns.addon_version).toBe(
      '${data.aws_eks_addon_version.addon-coredns-version.version}',
    );
  });

  test('a per-environment add-on override wins over the pinned row', () => {
    const addons = addonsByName(
      clusterJson('dev', { cluster: { coreAddonVersions: { coredns: 'v1.12.9-eksbuild.1' } } }),
    );
    expect(addons.coredns.addon_version).toBe('v1.12.9-eksbuild.1');
    expect(addons['vpc-cni'].addon_version).toBe(pinned('vpc-cni'));
    expect(pinned('vpc-cni')).toBe('v1.21.1-eksbuild.3');
  });

  test('the VPC CNI enforces NetworkPolicies: enableNetworkPolicy as the string "true" the add-on schema takes', () => {
    const addons = addonsByName(clusterJson('prod'));
    expect(addons['vpc-cni'].configuration_values).toBe('{"enableNetworkPolicy":"true"}');
    expect(addons['kube-proxy'].configuration_values).toBeUndefined();
  });

  test('the cluster runs in the private subnets from the network stack', () => {
    const cluster = onlyResource(clusterJson(), 'aws_eks_cluster');
    const subnetIds = (cluster.vpc_config as Record<string, unknown>).subnet_ids as string[];
    expect(subnetIds).toEqual([
      expect.stringMatching(
        /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-network\.outputs\..*private-use1-az1/,
      ),
      expect.stringMatching(
        /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-network\.outputs\..*private-use1-az2/,
      ),
    ]);
  });

  test('prod: one node group per config entry, deletion protection, restricted endpoint', () => {
    const json = clusterJson('prod');
    const cluster = onlyResource(json, 'aws_eks_cluster');
    expect(cluster.lifecycle).toEqual({ prevent_destroy: true });
    // Without account settings prod's API endpoint is private; CART_ADMIN_CIDRS opens it to those ranges only.
    expect(cluster.vpc_config).toMatchObject({
      endpoint_public_access: false,
      endpoint_private_access: true,
    });
    expect((cluster.vpc_config as Record<string, unknown>).public_access_cidrs).toBeUndefined();
    const open = onlyResource(
      clusterJson('prod', { cluster: { endpointPublicAccess: true, publicAccessCidrs: ['198.18.0.0/24'] } }),
      'aws_eks_cluster',
    );
    expect(open.vpc_config).toMatchObject({
      endpoint_public_access: true,
      public_access_cidrs: ['198.18.0.0/24'],
    });
    expect(onlyResource(json, 'aws_eks_node_group')).toMatchObject({
      instance_types: ['m6i.large', 'm5.large'],
      scaling_config: { desired_size: 2, min_size: 2, max_size: 3 },
    });
  });

  test.each(['dev', 'prod'])(
    '%s: with Karpenter the node group is the system group (label and CriticalAddonsOnly taint, same address)',
    (environment) => {
      const groups = resourcesOf(clusterJson(environment), 'aws_eks_node_group');
      expect(Object.keys(clusterJson(environment).resource?.aws_eks_node_group ?? {})).toEqual([
        'node-group-general_node-group_64F6AEA0',
      ]);
      expect(groups.map((g) => [g.labels, g.taint])).toEqual([
        [
          { workload: 'general', 'node-role': 'system' },
          [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }],
        ],
      ]);
    },
  );

  test('without Karpenter the same group takes every pod: no taint, its own labels', () => {
    const [group] = resourcesOf(
      clusterJson('dev', { addons: { karpenter: { enabled: false } } }),
      'aws_eks_node_group',
    );
    expect([group.labels, group.taint]).toEqual([{ workload: 'general' }, []]);
  });

  test('CoreDNS runs on the system nodes while Karpenter runs, anywhere without it', () => {
    const coredns = (json: SynthJson) =>
      resourcesOf(json, 'aws_eks_addon').find((a) => a.addon_name === 'coredns')?.configuration_values;
    expect(JSON.parse(String(coredns(clusterJson('dev'))))).toEqual({
      nodeSelector: { 'node-role': 'system' },
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(coredns(clusterJson('dev', { addons: { karpenter: { enabled: false } } }))).toBeUndefined();
  });

  test('exposes the outputs later stacks and users need', () => {
    const json = clusterJson();
    expect(Object.keys(json.output ?? {}).sort()).toEqual([
      'cluster-certificate-authority-data',
      'cluster-endpoint',
      'cluster-name',
      'cluster-security-group-id',
      'kubeconfig-command',
      'node-role-arn',
      'oidc-issuer-url',
      'oidc-provider-arn',
    ]);
    expect(json.output?.['kubeconfig-command'].value).toBe(
      'aws eks update-kubeconfig --region us-east-1 --name retail-dev-eksdemo',
    );
  });
});
