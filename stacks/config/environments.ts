/**
 * The environments' values. Defaults come from the reference guide where it is sound; `prod` differs where
 * production should (a NAT gateway per AZ, deletion protection, a private-only API endpoint list, larger nodes).
 */
import { EBS_CSI_DRIVER } from '../../modules/addons/ebs-csi-driver';
import { EXTERNAL_DNS } from '../../modules/addons/external-dns';
import { LOAD_BALANCER_CONTROLLER } from '../../modules/addons/load-balancer-controller';
import { METRICS_SERVER } from '../../modules/addons/metrics-server';
import { SECRETS_STORE_CSI } from '../../modules/addons/secrets-store-csi';
import {
  ConfigError,
  ENVIRONMENT_NAMES,
  ENVIRONMENT_VARIABLE,
  deepMerge,
  validateConfig,
  type EnvironmentConfig,
  type EnvironmentName,
  type EnvironmentOverrides,
} from './schema';

/** The guide's values (the `dev` environment). */
const GUIDE_DEFAULTS: EnvironmentConfig = {
  environment: 'dev',
  project: 'retail',
  region: 'us-east-1',
  tags: { Project: 'retail-store', ManagedBy: 'cdktf' },
  state: { bucketName: 'retail-dev-tfstate-cart-platform', lockTableName: undefined, forceDestroy: false },
  network: {
    vpcCidr: '10.0.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    publicSubnetCidrs: ['10.0.1.0/24', '10.0.2.0/24'],
    privateSubnetCidrs: ['10.0.11.0/24', '10.0.12.0/24'],
    natGateways: 'single',
  },
  cluster: {
    name: 'retail-dev-eksdemo',
    kubernetesVersion: '1.34',
    endpointPublicAccess: true,
    publicAccessCidrs: ['0.0.0.0/0'],
    coreAddonVersions: {},
    deletionProtection: false,
    logRetentionDays: 30,
  },
  nodeGroups: [
    {
      name: 'general',
      instanceTypes: ['t3.medium'],
      capacityType: 'ON_DEMAND',
      amiType: 'AL2023_x86_64_STANDARD',
      desiredSize: 2,
      minSize: 2,
      maxSize: 5,
      diskSizeGiB: 20,
      maxUnavailable: 1,
      labels: { workload: 'general' },
      taints: [],
    },
  ],
  // Each add-on's defaults (pinned versions included) come from its own file.
  addons: {
    ebsCsi: EBS_CSI_DRIVER.defaults,
    externalDns: EXTERNAL_DNS.defaults,
    metricsServer: METRICS_SERVER.defaults,
    loadBalancerController: LOAD_BALANCER_CONTROLLER.defaults,
    secretsStoreCsi: SECRETS_STORE_CSI.defaults,
  },
  cart: {
    tableName: 'Items',
    namespace: 'carts',
    serviceAccount: 'carts',
    identity: 'pod-identity',
    imageRepository: undefined,
    imageTag: '1.0.0',
    ecrRepositoryName: 'retail-store/cart',
    replicas: 2,
    autoscaling: { minReplicas: 2, maxReplicas: 10, targetCpuPercent: 80 },
    resources: { cpuRequest: '250m', memoryRequest: '512Mi', cpuLimit: '1', memoryLimit: '512Mi' },
    hostname: undefined,
    certificateArn: undefined,
    pointInTimeRecovery: true,
    deletionProtection: false,
    encryption: 'aws-owned',
    streamViewType: undefined,
    secrets: [],
  },
  local: {
    kubeconfigPath: '~/.kube/config',
    context: 'default',
    namespace: 'carts',
    dynamodbLocalImage: 'amazon/dynamodb-local:2.6.1',
    cartImage: 'retail-store/cart:1.0.0',
    nodePort: 30080,
    storageClassName: 'local-path',
  },
};

/** Per-environment differences from the guide's values. */
export const ENVIRONMENT_OVERRIDES: Readonly<Record<EnvironmentName, EnvironmentOverrides>> = {
  dev: {},
  prod: {
    environment: 'prod',
    state: { bucketName: 'retail-prod-tfstate-cart-platform' },
    network: {
      vpcCidr: '10.1.0.0/16',
      availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      publicSubnetCidrs: ['10.1.1.0/24', '10.1.2.0/24', '10.1.3.0/24'],
      privateSubnetCidrs: ['10.1.11.0/24', '10.1.12.0/24', '10.1.13.0/24'],
      natGateways: 'per-az',
    },
    cluster: {
      name: 'retail-prod-eks',
      // Administrators reach the API through the VPN range only; nodes use the private endpoint.
      publicAccessCidrs: ['203.0.113.0/24'],
      deletionProtection: true,
      logRetentionDays: 365,
    },
    nodeGroups: [
      {
        name: 'general',
        instanceTypes: ['m6i.large', 'm5.large'],
        capacityType: 'ON_DEMAND',
        amiType: 'AL2023_x86_64_STANDARD',
        desiredSize: 3,
        minSize: 3,
        maxSize: 9,
        diskSizeGiB: 50,
        maxUnavailable: 1,
        labels: { workload: 'general' },
        taints: [],
      },
    ],
    cart: {
      tableName: 'retail-prod-Items',
      imageTag: '1.0.0',
      replicas: 3,
      autoscaling: { minReplicas: 3, maxReplicas: 20, targetCpuPercent: 70 },
      deletionProtection: true,
      encryption: 'customer-managed',
    },
  },
  local: { environment: 'local' },
  // Used by the integration tests: the dev platform, with every AWS API pointed at a local emulator.
  emulator: {
    environment: 'emulator',
    awsEndpoint: 'http://127.0.0.1:5000',
    state: { bucketName: 'retail-emulator-tfstate', forceDestroy: true },
    cluster: { name: 'retail-emulator-eks' },
  },
};

/**
 * Builds and validates an environment's configuration, with optional overrides (tests, the emulator harness).
 * Throws a ConfigError naming each bad field, its value and what is allowed.
 */
export function environmentConfig(name: string, overrides?: EnvironmentOverrides): EnvironmentConfig {
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(name, [
      `${ENVIRONMENT_VARIABLE}=${JSON.stringify(name)} is not an environment; allowed: ${ENVIRONMENT_NAMES.join(', ')}`,
    ]);
  }
  const base = deepMerge(GUIDE_DEFAULTS, ENVIRONMENT_OVERRIDES[name as EnvironmentName]);
  return validateConfig(deepMerge(base, overrides));
}

/** The environment variable the emulator harness uses to point the `emulator` environment at its moto port. */
export const EMULATOR_ENDPOINT_VARIABLE = 'CART_AWS_ENDPOINT';

/**
 * Reads the environment selection from process variables — the only place the infrastructure reads them:
 * `CART_ENV` (default `dev`) and, for the emulator environment only, `CART_AWS_ENDPOINT`.
 */
export function environmentFromVariables(
  variables: Readonly<Record<string, string | undefined>>,
): EnvironmentConfig {
  const name = variables[ENVIRONMENT_VARIABLE] ?? 'dev';
  const endpoint = variables[EMULATOR_ENDPOINT_VARIABLE];
  return environmentConfig(name, endpoint === undefined ? undefined : { awsEndpoint: endpoint });
}
