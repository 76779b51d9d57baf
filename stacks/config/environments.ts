/**
 * The environments' values. Defaults come from the reference guide where it is sound; `prod` differs where
 * production should (a NAT gateway per AZ, deletion protection, a private-only API endpoint list, larger nodes).
 */
import { ARGO_CD } from '../../modules/addons/argo-cd';
import { CLOUDWATCH_OBSERVABILITY } from '../../modules/addons/cloudwatch-observability';
import { EBS_CSI_DRIVER } from '../../modules/addons/ebs-csi-driver';
import { EXTERNAL_DNS } from '../../modules/addons/external-dns';
import { KARPENTER } from '../../modules/addons/karpenter';
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
  type EnvironmentInput,
  type EnvironmentName,
  type EnvironmentOverrides,
} from './schema';
import { settingsFromVariables, type HeadCommit } from './settings';

/**
 * The account of a synth without settings: no real account has this id, so the AWS provider's
 * `allowed_account_ids` makes Terraform refuse to plan anything with it. Real values: see settings.ts.
 */
export const PLACEHOLDER_ACCOUNT_ID = '000000000000';

/** The guide's values (the `dev` environment). */
const GUIDE_DEFAULTS: EnvironmentInput = {
  environment: 'dev',
  project: 'retail',
  region: 'us-east-1',
  tags: { Project: 'retail-store', ManagedBy: 'cdktf' },
  account: { id: PLACEHOLDER_ACCOUNT_ID },
  access: { creatorAdmin: true, admins: [], deployer: undefined },
  retire: false,
  state: { bucketName: undefined, lockTableName: undefined, forceDestroy: false },
  network: {
    vpcCidr: '10.0.0.0/16',
    availabilityZoneIds: ['use1-az1', 'use1-az2'],
    publicSubnetCidrs: ['10.0.1.0/24', '10.0.2.0/24'],
    privateSubnetCidrs: ['10.0.11.0/24', '10.0.12.0/24'],
    natGateways: 'single',
  },
  cluster: {
    name: 'retail-dev-eksdemo',
    // In EKS standard support until 2027-03-27 (1.34's ends 2026-12-02).
    kubernetesVersion: '1.35',
    endpointPublicAccess: true,
    publicAccessCidrs: ['0.0.0.0/0'],
    coreAddonVersions: {},
    deletionProtection: false,
    // Explicit: the EKS API's default (EXTENDED) silently moves an outdated cluster to extended-support pricing.
    upgradePolicy: 'STANDARD',
    logRetentionDays: 30,
    // Off: the system node group runs Karpenter. On, pods of the namespace run on Fargate (IRSA, not Pod Identity).
    fargate: { enabled: false, namespace: 'karpenter', labels: {} },
  },
  // The system node group: with Karpenter on, it is tainted CriticalAddonsOnly and runs Karpenter, the controllers
  // and CoreDNS; the cart runs on the nodes Karpenter launches. It keeps the name (and Terraform address) of the
  // guide's `general` group: labels and taints of a managed node group change in place, a rename would replace it.
  nodeGroups: [
    {
      name: 'general',
      role: 'system',
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
    },
  ],
  // Each add-on's defaults (pinned versions included) come from its own file.
  addons: {
    ebsCsi: EBS_CSI_DRIVER.defaults,
    externalDns: EXTERNAL_DNS.defaults,
    metricsServer: METRICS_SERVER.defaults,
    loadBalancerController: LOAD_BALANCER_CONTROLLER.defaults,
    secretsStoreCsi: SECRETS_STORE_CSI.defaults,
    karpenter: KARPENTER.defaults,
    argoCd: ARGO_CD.defaults,
    cloudwatchObservability: CLOUDWATCH_OBSERVABILITY.defaults,
  },
  cart: {
    tableName: 'Items',
    namespace: 'carts',
    serviceAccount: 'carts',
    identity: 'pod-identity',
    imageRepository: undefined,
    imageTag: '1.0.0',
    ecrRepositoryName: undefined,
    ecrForceDelete: true,
    replicas: 2,
    autoscaling: { minReplicas: 2, maxReplicas: 10, targetCpuPercent: 80 },
    resources: { cpuRequest: '250m', memoryRequest: '512Mi', cpuLimit: '1', memoryLimit: '512Mi' },
    hostname: undefined,
    certificateArn: undefined,
    // ClusterIP only: the UI calls the cart inside the cluster; an Ingress is opt-in (see "Exposure" in the README).
    exposure: 'off',
    hostedZoneId: undefined,
    ingressGroupName: undefined,
    wafAclArn: undefined,
    clientNamespaces: ['ui'],
    pointInTimeRecovery: true,
    deletionProtection: false,
    encryption: 'aws-owned',
    streamViewType: undefined,
    // Off in dev: no exporter, no cost; the ratio applies once it is switched on.
    tracing: { enabled: false, samplingRatio: 1 },
    secrets: [],
    // The implicit instance: today's single cart (docs/cart.md, "Team instances").
    instances: [],
    roleMode: 'shared',
  },
  // No ALB alarms until an Ingress has made the ALB (its metrics are found through its tags).
  observability: { loadBalancerAlarms: false, alarmEmail: undefined },
  local: {
    kubeconfigPath: '~/.kube/config',
    context: 'default',
    namespace: 'carts',
    dynamodbLocalImage: 'amazon/dynamodb-local:2.6.1',
    cartImage: 'retail-store/cart:1.0.0',
    nodePort: 30080,
    storageClassName: 'local-path',
  },
  gitops: { enabled: false, repoUrl: undefined, targetRevision: 'main', path: undefined },
  delivery: {
    repository: undefined,
    mainBranch: 'main',
    githubEnvironment: undefined,
    oidcProviderArn: undefined,
  },
};

/** Per-environment differences from the guide's values. */
export const ENVIRONMENT_OVERRIDES: Readonly<Record<EnvironmentName, EnvironmentOverrides>> = {
  dev: {},
  prod: {
    environment: 'prod',
    // Who administers prod comes from the account settings (CART_ADMIN_PRINCIPALS), not from whoever ran apply.
    access: { creatorAdmin: false },
    network: {
      vpcCidr: '10.1.0.0/16',
      // Zone ids, not names: the same physical zones in every account; not use1-az3 (no EKS control plane there).
      availabilityZoneIds: ['use1-az1', 'use1-az2', 'use1-az4'],
      publicSubnetCidrs: ['10.1.1.0/24', '10.1.2.0/24', '10.1.3.0/24'],
      privateSubnetCidrs: ['10.1.11.0/24', '10.1.12.0/24', '10.1.13.0/24'],
      natGateways: 'per-az',
    },
    cluster: {
      name: 'retail-prod-eks',
      // Private API endpoint unless the account settings name the administrators' ranges (CART_ADMIN_CIDRS):
      // nodes always use the private endpoint.
      endpointPublicAccess: false,
      publicAccessCidrs: [],
      deletionProtection: true,
      logRetentionDays: 365,
    },
    // Container logs and performance events: a quarter's history, under a customer key; traces from the cart.
    addons: {
      cloudwatchObservability: { logRetentionDays: 90, logEncryption: 'customer-managed', traces: true },
    },
    nodeGroups: [
      {
        name: 'general',
        role: 'system',
        instanceTypes: ['m6i.large', 'm5.large'],
        capacityType: 'ON_DEMAND',
        amiType: 'AL2023_x86_64_STANDARD',
        desiredSize: 2,
        minSize: 2,
        maxSize: 3,
        diskSizeGiB: 50,
        maxUnavailable: 1,
        labels: { workload: 'general' },
        taints: [],
      },
    ],
    cart: {
      tableName: 'retail-prod-Items',
      ecrForceDelete: false,
      replicas: 3,
      autoscaling: { minReplicas: 3, maxReplicas: 20, targetCpuPercent: 70 },
      deletionProtection: true,
      encryption: 'customer-managed',
      // One trace in ten (children follow their parent's decision): enough to see latency and errors.
      tracing: { enabled: true, samplingRatio: 0.1 },
    },
  },
  local: { environment: 'local' },
  // Used by the integration tests: the dev platform, with every AWS API pointed at a local emulator.
  emulator: {
    environment: 'emulator',
    awsEndpoint: 'http://127.0.0.1:5000',
    // moto's default account.
    account: { id: '123456789012' },
    state: { forceDestroy: true },
    // Karpenter is on (as in dev); the Fargate profile too, so that its pod execution role and profile apply.
    cluster: { name: 'retail-emulator-eks', fargate: { enabled: true } },
  },
};

/** What `retire` (CART_RETIRE=true) lifts so that destroy can remove everything, whatever the environment says. */
const RETIRING: EnvironmentOverrides = {
  state: { forceDestroy: true },
  cluster: { deletionProtection: false },
  cart: { deletionProtection: false, ecrForceDelete: true },
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
  const merged = deepMerge(
    deepMerge(GUIDE_DEFAULTS, ENVIRONMENT_OVERRIDES[name as EnvironmentName]),
    overrides,
  );
  return validateConfig(merged.retire === true ? deepMerge(merged, RETIRING) : merged);
}

/**
 * The configuration of the environment named by CART_ENV (default `dev`), with the account settings read from
 * `CART_*` variables (settings.ts). Throws a ConfigError listing every missing or malformed setting at once —
 * `CART_ENV=prod npm run synth` without settings names all of them — and every invalid field.
 */
export function environmentFromVariables(
  variables: Readonly<Record<string, string | undefined>>,
  headCommit?: HeadCommit,
): EnvironmentConfig {
  const name = variables[ENVIRONMENT_VARIABLE] ?? 'dev';
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(name)) return environmentConfig(name);
  const settings = settingsFromVariables(name as EnvironmentName, variables, headCommit);
  const problems = [...settings.missing, ...settings.invalid];
  if (problems.length > 0) {
    throw new ConfigError(name, [
      ...problems,
      'Set them in the environment (see "Account settings" in the README), e.g. export CART_ACCOUNT_ID=123456789012',
    ]);
  }
  return environmentConfig(name, settings.overrides);
}
