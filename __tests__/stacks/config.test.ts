import { describe, expect, test } from 'vitest';
import { CORE_ADDONS, PLATFORM_ADDONS } from '../../modules/addons/registry';
import { ConfigError, deepMerge, environmentFieldsSchema } from '../../stacks/config/schema';
import { environmentConfig, environmentFromVariables } from '../../stacks/config/environments';
import { PROD_SETTINGS } from '../helpers/settings';

/** The dev node group, as configured. */
const GROUP = {
  name: 'general',
  instanceTypes: ['t3.medium'],
  capacityType: 'ON_DEMAND',
  amiType: 'AL2023_x86_64_STANDARD',
  desiredSize: 2,
  minSize: 2,
  maxSize: 3,
  diskSizeGiB: 20,
  maxUnavailable: 1,
  labels: { workload: 'general' },
  taints: [],
} as const;

describe('environment config', () => {
  test('dev carries the guide defaults', () => {
    const config = environmentConfig('dev');
    expect(config.region).toBe('us-east-1');
    expect(config.cluster.name).toBe('retail-dev-eksdemo');
    expect(config.cluster.kubernetesVersion).toBe('1.35');
    expect(config.cluster.upgradePolicy).toBe('STANDARD');
    expect(config.network).toEqual({
      vpcCidr: '10.0.0.0/16',
      availabilityZoneIds: ['use1-az1', 'use1-az2'],
      publicSubnetCidrs: ['10.0.1.0/24', '10.0.2.0/24'],
      privateSubnetCidrs: ['10.0.11.0/24', '10.0.12.0/24'],
      natGateways: 'single',
    });
    expect(config.nodeGroups).toHaveLength(1);
    expect(config.nodeGroups[0]).toMatchObject({
      instanceTypes: ['t3.medium'],
      capacityType: 'ON_DEMAND',
      desiredSize: 2,
      minSize: 2,
      maxSize: 3,
      role: 'system',
    });
    expect(config.cart.tableName).toBe('Items');
    expect(config.awsEndpoint).toBeUndefined();
  });

  test('prod differs where production should', () => {
    const config = environmentConfig('prod');
    expect(config.network.natGateways).toBe('per-az');
    expect(config.cluster.deletionProtection).toBe(true);
    // Private API endpoint until the account settings name the administrators' ranges (CART_ADMIN_CIDRS).
    expect(config.cluster).toMatchObject({ endpointPublicAccess: false, publicAccessCidrs: [] });
    expect(config.access.creatorAdmin).toBe(false);
    expect(config.cart.ecrForceDelete).toBe(false);
    expect(config.cart.deletionProtection).toBe(true);
    expect(config.network.availabilityZoneIds).toEqual(['use1-az1', 'use1-az2', 'use1-az4']);
  });

  test('CART_ENV picks the environment and defaults to dev', () => {
    expect(environmentFromVariables({}).environment).toBe('dev');
    expect(environmentFromVariables({ CART_ENV: 'prod', ...PROD_SETTINGS }).environment).toBe('prod');
    expect(
      environmentFromVariables({ CART_ENV: 'emulator', CART_AWS_ENDPOINT: 'http://127.0.0.1:4566' })
        .awsEndpoint,
    ).toBe('http://127.0.0.1:4566');
  });

  test('throws when CART_ENV names no environment', () => {
    expect(() => environmentFromVariables({ CART_ENV: 'staging' })).toThrow(
      'CART_ENV="staging" is not an environment; allowed: dev, prod, local, emulator',
    );
  });

  test.each([
    [
      { nodeGroups: [{ ...GROUP, role: 'general' }] },
      'has no group with role "system" while addons.karpenter.enabled: Karpenter must run on nodes it does not manage',
    ],
    [
      {
        addons: { karpenter: { enabled: false } },
        nodeGroups: [{ ...GROUP, taints: [{ key: 'dedicated', value: 'x', effect: 'NO_EXECUTE' }] }],
      },
      'every node group has a NoSchedule/NoExecute taint (general) and addons.karpenter.enabled is false: the cart would stay Pending',
    ],
    [{ cluster: { fargate: { namespace: 'Karpenter' } } }, 'cluster.fargate.namespace: "Karpenter" — '],
    [
      { nodeGroups: [{ ...GROUP, role: 'worker' }] },
      'nodeGroups.0.role: "worker" — allowed values: "general", "system"',
    ],
    [{ region: 'useast1' }, 'region: "useast1" — must be an AWS region code such as us-east-1'],
    [
      { cluster: { kubernetesVersion: '1.20' } },
      'cluster.kubernetesVersion: "1.20" — allowed values: "1.34", "1.35"',
    ],
    [
      { cluster: { kubernetesVersion: '1.33' } },
      'cluster.kubernetesVersion: "1.33" — allowed values: "1.34", "1.35"',
    ],
    [
      { cluster: { coreAddonVersions: { coredns: '1.13.1' } } },
      'cluster.coreAddonVersions.coredns: "1.13.1" — an EKS add-on version: exact (vX.Y.Z-eksbuild.N) or "most-recent"',
    ],
    [
      { addons: { metricsServer: { version: 'latest' } } },
      'addons.metricsServer.version: "latest" — an EKS add-on version: exact (vX.Y.Z-eksbuild.N) or "most-recent"',
    ],
    [
      { network: { availabilityZoneIds: ['use1-az1', 'use1-az3'] } },
      'network.availabilityZoneIds.1: "use1-az3" — is a zone where EKS places no control plane (CreateCluster fails with UnsupportedAvailabilityZoneException); pick another zone id of us-east-1',
    ],
    [
      { network: { availabilityZoneIds: ['use1-az1', 'usw2-az1'] } },
      'network.availabilityZoneIds.1: "usw2-az1" — must be a zone of us-east-1 (its zone ids start with use1-)',
    ],
    [
      { network: { availabilityZoneIds: ['us-east-1a', 'us-east-1b'] } },
      'network.availabilityZoneIds.0: "us-east-1a" — must be an availability zone id such as use1-az1',
    ],
    [{ network: { vpcCidr: '10.0.0.0/33' } }, 'network.vpcCidr: "10.0.0.0/33" — must be an IPv4 CIDR block'],
    [
      { network: { natGateways: 'many' } },
      'network.natGateways: "many" — allowed values: "single", "per-az"',
    ],
    [
      { network: { privateSubnetCidrs: ['10.0.11.0/24'] } },
      'network.privateSubnetCidrs: ["10.0.11.0/24"] — must have one CIDR per availability zone (2), got 1',
    ],
    [
      {
        nodeGroups: [
          {
            name: 'general',
            instanceTypes: ['t3.medium'],
            capacityType: 'ON_DEMAND',
            amiType: 'AL2023_x86_64_STANDARD',
            desiredSize: 9,
            minSize: 2,
            maxSize: 5,
            diskSizeGiB: 20,
            maxUnavailable: 1,
            labels: {},
            taints: [],
          },
        ],
      },
      'nodeGroups.0.desiredSize: 9 — must satisfy minSize (2) <= desiredSize (9) <= maxSize (5)',
    ],
    [
      { cart: { tableName: 'a' } },
      'cart.tableName: "a" — must be 3 to 255 characters from A-Z, a-z, 0-9, _, -, .',
    ],
    [{ cart: { namespace: 'Carts' } }, 'cart.namespace: "Carts" — must be a DNS-1123 label'],
    [
      { cart: { identity: 'static-keys' } },
      'cart.identity: "static-keys" — allowed values: "pod-identity", "irsa"',
    ],
    [
      { cart: { autoscaling: { minReplicas: 5, maxReplicas: 2 } } },
      'cart.autoscaling.minReplicas: 5 — must be <= maxReplicas (2)',
    ],
    [
      { cart: { exposure: 'public' } },
      'cart.exposure: "public" — allowed values: "off", "internal", "internet-facing"',
    ],
    [
      { cart: { exposure: 'internet-facing', hostname: 'cart.example.com' } },
      'cart.certificateArn: undefined — is not set while cart.exposure is "internet-facing": the Ingress is HTTPS only',
    ],
    [
      { cart: { exposure: 'internal', hostedZoneId: 'Z0123456789ABCDEFGHIJ' } },
      'cart.certificateArn: undefined — is not set while cart.exposure is "internal"',
    ],
    [
      {
        cart: {
          exposure: 'internal',
          hostname: 'cart.example.com',
          certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        },
      },
      'addons.externalDns.hostedZoneIds: [] — ExternalDNS is not installed, so nothing creates the record of cart.hostname "cart.example.com"',
    ],
    [
      {
        cart: { exposure: 'internal', hostname: 'cart.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
        addons: { externalDns: { hostedZoneIds: ['Z9999999999ABCDEFGHIJ'], domainFilters: ['example.com'] } },
      },
      'addons.externalDns.hostedZoneIds: ["Z9999999999ABCDEFGHIJ"] — does not include cart.hostedZoneId "Z0123456789ABCDEFGHIJ"',
    ],
    [
      {
        cart: { exposure: 'internal', hostname: 'cart.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
        addons: { externalDns: { hostedZoneIds: ['Z0123456789ABCDEFGHIJ'], domainFilters: ['example.org'] } },
      },
      'addons.externalDns.domainFilters: ["example.org"] — [example.org] does not cover cart.hostname "cart.example.com"',
    ],
    [{ cart: { clientNamespaces: ['UI'] } }, 'cart.clientNamespaces.0: "UI" — must be a DNS-1123 label'],
    [{ awsEndpoint: 'not a url' }, 'awsEndpoint: "not a url" — Invalid URL'],
    [{ addons: { loadBalancerController: { replicas: 0 } } }, 'addons.loadBalancerController.replicas: 0 —'],
    [
      { addons: { ebsCsi: { kmsKeyArn: 'alias/ebs' } } },
      'addons.ebsCsi.kmsKeyArn: "alias/ebs" — must be a KMS key ARN',
    ],
    [
      { addons: { ebsCsi: { defaultStorageClass: false, unsetGp2Default: true } } },
      'addons.ebsCsi.unsetGp2Default: true — needs defaultStorageClass: true',
    ],
    [
      { addons: { externalDns: { policy: 'create-only' } } },
      'addons.externalDns.policy: "create-only" — allowed values: "sync", "upsert-only"',
    ],
    [
      { addons: { secretsStoreCsi: { rotationPollInterval: '2' } } },
      'addons.secretsStoreCsi.rotationPollInterval: "2" — must be a duration such as 2m',
    ],
    [
      { addons: { metricsServer: { replicas: 2 } } } as never,
      'unknown field(s) replicas; check the spelling against stacks/config/schema.ts',
    ],
    [{ cluster: { unknownField: true } } as never, 'cluster: {'],
    [
      { cart: { tracing: { enabled: true, samplingRatio: 1 } } },
      'cart.tracing.enabled: true — is true but nothing receives the traces: set addons.cloudwatchObservability.enabled and .traces to true',
    ],
    [
      { observability: { loadBalancerAlarms: true } },
      'observability.loadBalancerAlarms: true — is true but cart.exposure is "off": no Ingress, no ALB to alarm on',
    ],
    [
      { cart: { tracing: { enabled: false, samplingRatio: 1.5 } } },
      'cart.tracing.samplingRatio: 1.5 — Too big',
    ],
  ])('throws when %j', (overrides, message) => {
    expect(() => environmentConfig('dev', overrides as never)).toThrow(ConfigError);
    expect(() => environmentConfig('dev', overrides as never)).toThrow(message);
  });

  test("the addons section: one field per registry add-on, validated by that add-on's own schema", () => {
    const addons = environmentFieldsSchema.shape.addons.shape;
    expect(Object.keys(addons)).toEqual(Object.keys(PLATFORM_ADDONS));
    for (const [key, addon] of Object.entries(PLATFORM_ADDONS)) {
      expect(addons[key as keyof typeof addons], key).toBe(addon.settingsSchema);
    }
  });

  test('cluster.coreAddonVersions: one optional version per core add-on', () => {
    const versions = environmentFieldsSchema.shape.cluster.shape.coreAddonVersions.shape;
    expect(Object.keys(versions)).toEqual(CORE_ADDONS.map((a) => a.id));
  });

  test('the error names the environment and lists every problem', () => {
    try {
      environmentConfig('dev', { region: 'x', cluster: { name: '9' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const configError = error as ConfigError;
      expect(configError.environment).toBe('dev');
      expect(configError.problems).toHaveLength(2);
      expect(configError.message.split('\n')[0]).toBe('Invalid configuration for environment "dev":');
    }
  });

  test('deepMerge replaces arrays and merges objects', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3] } })).toEqual({
      a: { b: 1, c: [3] },
      d: 'x',
    });
  });
});
