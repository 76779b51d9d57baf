/**
 * The typed, validated environment configuration.
 *
 * One object per environment describes everything the reference guide hard-codes (region, cluster name, versions,
 * CIDRs, sizes, table name, namespace, image, hosted zone, certificate). `environments.ts` holds the values; this
 * file holds the schema and the one function that validates them, so that a wrong value fails `cdktf synth` with
 * the field, the value and what is allowed — before Terraform ever sees it.
 */
import { z } from 'zod';
import {
  ACM_CERTIFICATE_ARN,
  AWS_ACCOUNT_ID,
  AWS_REGION,
  DNS_LABEL,
  DYNAMODB_TABLE_NAME,
  HOSTNAME,
  IAM_PRINCIPAL_ARN,
  IAM_ROLE_ARN,
} from '@cart-platform/service/validators';
import { ZONE_ID, zoneIdProblem } from '../../modules/availability-zones';
import { cidrContains } from '../../modules/cidr';
import { UPGRADE_SUPPORT_TYPES } from '../../modules/eks-cluster';
import { ARGO_CD } from '../../modules/addons/argo-cd';
import { CLOUDWATCH_OBSERVABILITY } from '../../modules/addons/cloudwatch-observability';
import { EBS_CSI_DRIVER } from '../../modules/addons/ebs-csi-driver';
import { EXTERNAL_DNS } from '../../modules/addons/external-dns';
import { KARPENTER } from '../../modules/addons/karpenter';
import { KUBERNETES_VERSIONS, eksAddonVersionSchema } from '../../modules/addons/kubernetes-versions';
import { LOAD_BALANCER_CONTROLLER } from '../../modules/addons/load-balancer-controller';
import { METRICS_SERVER } from '../../modules/addons/metrics-server';
import type { PlatformAddonsSettings } from '../../modules/addons/registry';
import { SECRETS_STORE_CSI } from '../../modules/addons/secrets-store-csi';
import { WAFV2_WEB_ACL_ARN } from '../../modules/kubernetes/alb-ingress';
import { CRITICAL_ADDONS_TAINT, NODE_GROUP_ROLES, isOpenNodeGroup } from '../../modules/system-nodes';
import { formatted } from '../../modules/validate';
import { CART_ROLE_MODES, cartInstanceSchema, checkCartInstances } from './cart-instances';

/** Values of `cart.exposure`. */
export const CART_EXPOSURES = ['off', 'internal', 'internet-facing'] as const;
export type CartExposure = (typeof CART_EXPOSURES)[number];

export const ENVIRONMENT_NAMES = ['dev', 'prod', 'local', 'emulator'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** The environment variable that picks the environment (`CART_ENV=prod npm run synth`). */
export const ENVIRONMENT_VARIABLE = 'CART_ENV';

const CIDR_PATTERN = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const cidr = z.string().regex(CIDR_PATTERN, 'must be an IPv4 CIDR block such as 10.0.0.0/16');
/** Kubernetes DNS-1123 label: namespaces, service accounts, object names. */
const dnsLabel = formatted(DNS_LABEL);
const region = formatted(AWS_REGION);
const tagMap = z.record(z.string().min(1).max(128), z.string().max(256));

const nodeGroupSchema = z.strictObject({
  /** Node group name (also its construct id: renaming one replaces the group). */
  name: dnsLabel,
  /** `system`: runs the cluster-critical add-ons, tainted CriticalAddonsOnly while Karpenter is enabled. */
  role: z.enum(NODE_GROUP_ROLES).default('general'),
  instanceTypes: z
    .array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+$/, 'must be an EC2 instance type such as t3.medium'))
    .min(1),
  capacityType: z.enum(['ON_DEMAND', 'SPOT']),
  amiType: z.enum([
    'AL2023_x86_64_STANDARD',
    'AL2023_ARM_64_STANDARD',
    'BOTTLEROCKET_x86_64',
    'BOTTLEROCKET_ARM_64',
  ]),
  desiredSize: z.number().int().min(0).max(450),
  minSize: z.number().int().min(0).max(450),
  maxSize: z.number().int().min(1).max(450),
  diskSizeGiB: z.number().int().min(20).max(16_384),
  /** Nodes a rolling update may take down at once. */
  maxUnavailable: z.number().int().min(1).max(100),
  labels: z.record(z.string(), z.string()),
  taints: z.array(
    z.strictObject({
      key: z.string().min(1),
      value: z.string(),
      effect: z.enum(['NO_SCHEDULE', 'NO_EXECUTE', 'PREFER_NO_SCHEDULE']),
    }),
  ),
});

const coreAddonVersionsSchema = z
  .object({
    'eks-pod-identity-agent': eksAddonVersionSchema,
    'vpc-cni': eksAddonVersionSchema,
    'kube-proxy': eksAddonVersionSchema,
    coredns: eksAddonVersionSchema,
  })
  .partial();

/** One line per add-on of modules/addons/registry.ts: its key and its own settings schema (defaults in its file). */
const addonsSchema = z.strictObject({
  ebsCsi: EBS_CSI_DRIVER.settingsSchema,
  externalDns: EXTERNAL_DNS.settingsSchema,
  metricsServer: METRICS_SERVER.settingsSchema,
  loadBalancerController: LOAD_BALANCER_CONTROLLER.settingsSchema,
  secretsStoreCsi: SECRETS_STORE_CSI.settingsSchema,
  karpenter: KARPENTER.settingsSchema,
  argoCd: ARGO_CD.settingsSchema,
  cloudwatchObservability: CLOUDWATCH_OBSERVABILITY.settingsSchema,
}) satisfies z.ZodType<PlatformAddonsSettings>;

const cartSchema = z.strictObject({
  /** The DynamoDB table (the guide's `Items`). */
  tableName: formatted(DYNAMODB_TABLE_NAME),
  namespace: dnsLabel,
  serviceAccount: dnsLabel,
  /** How pods get AWS credentials: EKS Pod Identity (default) or IRSA (the guide's older path). */
  identity: z.enum(['pod-identity', 'irsa']),
  /** Image repository; `undefined` uses the ECR repository the cart stack creates. */
  imageRepository: z.string().optional(),
  imageTag: z.string().regex(/^[\w][\w.-]{0,127}$/, 'must be a Docker tag such as 1.0.0'),
  /** ECR repository (per account and region); `undefined` derives `<project>-<environment>/cart`. */
  ecrRepositoryName: z
    .string()
    .regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, 'must be a lowercase ECR repository name')
    .optional(),
  /** Let `destroy` delete the repository with its images (throwaway environments only). */
  ecrForceDelete: z.boolean(),
  replicas: z.number().int().min(1).max(100),
  autoscaling: z.strictObject({
    minReplicas: z.number().int().min(1),
    maxReplicas: z.number().int().min(1).max(100),
    targetCpuPercent: z.number().int().min(10).max(100),
  }),
  resources: z.strictObject({
    cpuRequest: z.string(),
    memoryRequest: z.string(),
    cpuLimit: z.string(),
    memoryLimit: z.string(),
  }),
  /** Public hostname ExternalDNS publishes for the Ingress; `undefined` means no DNS record. */
  hostname: formatted(HOSTNAME).optional(),
  /** ACM certificate for HTTPS on the ALB; `undefined` creates one in `hostedZoneId` when exposed. */
  certificateArn: formatted(ACM_CERTIFICATE_ARN).optional(),
  /**
   * How the cart is reached from outside the cluster: `off` (ClusterIP only, the UI calls `carts.carts:80`), or an
   * HTTPS-only ALB Ingress routing the cart API, `internal` (private subnets) or `internet-facing`.
   */
  exposure: z.enum(CART_EXPOSURES),
  /** Route53 hosted zone the certificate of `hostname` is DNS-validated in (when no certificateArn is given). */
  hostedZoneId: z
    .string()
    .regex(/^Z[A-Z0-9]{1,31}$/, 'must be a Route53 hosted zone id such as Z0123456789ABCDEFGHIJ')
    .optional(),
  /** IngressGroup (`alb.ingress.kubernetes.io/group.name`): Ingresses of one group share one ALB. */
  ingressGroupName: dnsLabel.optional(),
  /** Regional WAFv2 web ACL attached to the ALB. */
  wafAclArn: formatted(WAFV2_WEB_ACL_ARN).optional(),
  /** Namespaces whose pods may call the cart (the UI's); everything else is denied by NetworkPolicy. */
  clientNamespaces: z.array(dnsLabel),
  pointInTimeRecovery: z.boolean(),
  deletionProtection: z.boolean(),
  /** Server-side encryption: the AWS-owned key (free) or a customer-managed KMS key. */
  encryption: z.enum(['aws-owned', 'customer-managed']),
  streamViewType: z.enum(['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY']).optional(),
  /**
   * OpenTelemetry traces to the CloudWatch agent's OTLP endpoint (needs `addons.cloudwatchObservability.traces`);
   * `samplingRatio` of new traces kept (`parentbased_traceidratio`).
   */
  tracing: z.strictObject({ enabled: z.boolean(), samplingRatio: z.number().min(0).max(1) }),
  /** Secrets Manager secrets (ARNs or names) mounted into the cart through the Secrets Store CSI driver. */
  secrets: z.array(
    z
      .string()
      .regex(
        /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[\w/+=.@-]{1,512}$/,
        'must be a Secrets Manager secret ARN or name',
      ),
  ),
  /** Team instances (docs/cart.md, "Team instances"); empty: the implicit instance, today's single cart. */
  instances: z.array(cartInstanceSchema),
  /** With instances: one role scoped to `<cluster>-carts-*` for all (`shared`), or one role per instance. */
  roleMode: z.enum(CART_ROLE_MODES),
});

/** GitHub Actions delivery (stacks/delivery-stack.ts): which repository's workflows may assume the roles. */
const githubName = z.string().regex(/^[^*?:\s]{1,255}$/, 'must be a name without *, ?, : or spaces');
const deliverySchema = z.strictObject({
  /** `owner/name`; `undefined` builds no delivery stack. */
  repository: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, 'must be a GitHub repository owner/name')
    .optional(),
  /** The branch whose pushes publish images. */
  mainBranch: githubName,
  /** The GitHub environment the deploy job runs in; `undefined` means the environment's own name. */
  githubEnvironment: githubName.optional(),
  /** The account's existing GitHub OIDC provider (one per account); `undefined` creates it. */
  oidcProviderArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
      'must be the ARN of an IAM OIDC provider for token.actions.githubusercontent.com',
    )
    .optional(),
});

/** GitOps (Argo CD): the cart's Kubernetes objects synced from Git instead of applied by Terraform. */
const gitopsSchema = z.strictObject({
  /** Argo CD owns the cart's objects (needs `addons.argoCd.enabled` and `repoUrl`). */
  enabled: z.boolean(),
  /** The Git repository Argo CD reads (https:// or ssh://). */
  repoUrl: z
    .string()
    .regex(/^(https:\/\/|ssh:\/\/|git@)\S+$/, 'must be an https://, ssh:// or git@ Git URL')
    .optional(),
  /** Branch, tag or commit Argo CD tracks. */
  targetRevision: z.string().min(1),
  /** The manifests folder; `undefined` means `deploy/manifests/<environment>` (what `npm run manifests` writes). */
  path: z.string().min(1).optional(),
});

const localSchema = z.strictObject({
  kubeconfigPath: z.string().min(1),
  /** kubeconfig context; K3s names its context `default`. */
  context: z.string().min(1),
  namespace: dnsLabel,
  dynamodbLocalImage: z.string().min(1),
  cartImage: z.string().min(1),
  /** NodePort the cart is reachable on from the host (30000-32767). */
  nodePort: z.number().int().min(30_000).max(32_767),
  /** StorageClass of DynamoDB Local's volume; K3s ships `local-path`. */
  storageClassName: dnsLabel,
});

/** The fields of an environment, before the cross-field checks and derived names. */
export const environmentFieldsSchema = z.object({
  environment: z.enum(ENVIRONMENT_NAMES),
  /** Short prefix for resource names. */
  project: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/, 'must be 2-21 lowercase letters, digits or -'),
  region,
  /** Tags applied to every taggable AWS resource (through the provider's default_tags). */
  tags: tagMap,
  /**
   * AWS API endpoint override for a local emulator (moto), from CART_AWS_ENDPOINT: tests only. Terraform then
   * talks to the emulator with dummy keys, and the guardrails' `real-aws` rules are off.
   */
  awsEndpoint: z.url().optional(),
  /** The AWS account the environment lives in: Terraform refuses any other (`allowed_account_ids`). */
  account: z.strictObject({ id: formatted(AWS_ACCOUNT_ID) }),
  /** Who may use the cluster's Kubernetes API (EKS access entries). */
  access: z.strictObject({
    /** Make the identity that creates the cluster its admin (`bootstrapClusterCreatorAdminPermissions`). */
    creatorAdmin: z.boolean(),
    /** IAM roles or users made cluster admins (`AmazonEKSClusterAdminPolicy`, cluster scope). */
    admins: z.array(formatted(IAM_PRINCIPAL_ARN)),
    /** The CI deployer role, made cluster admin to install charts and workloads. */
    deployer: formatted(IAM_ROLE_ARN).optional(),
  }),
  /**
   * Tear-down mode (`npm run retire`): deletion protection, `prevent_destroy` and the bucket's and repository's
   * keep-when-not-empty settings are lifted so that destroy can remove everything.
   */
  retire: z.boolean(),
  state: z.strictObject({
    /** Globally unique; `undefined` derives `<project>-<environment>-tfstate-<account id>-<region>`. */
    bucketName: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name (3-63, lowercase)')
      .optional(),
    /** A DynamoDB lock table for Terraform < 1.10; `undefined` uses S3 native locking (`use_lockfile`). */
    lockTableName: z.string().optional(),
    /** Let `destroy` remove a non-empty state bucket (only for throwaway environments). */
    forceDestroy: z.boolean(),
  }),
  network: z.strictObject({
    vpcCidr: cidr,
    /** Zone ids (`use1-az1`), not names: a name maps to a different physical zone in each account. */
    availabilityZoneIds: z
      .array(z.string().regex(ZONE_ID, 'must be an availability zone id such as use1-az1'))
      .min(2)
      .max(6),
    publicSubnetCidrs: z.array(cidr),
    privateSubnetCidrs: z.array(cidr),
    /** `single`: one shared NAT gateway (cheap, one AZ's failure cuts egress); `per-az`: one per AZ. */
    natGateways: z.enum(['single', 'per-az']),
  }),
  cluster: z.strictObject({
    name: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9-]{0,99}$/, 'must start with a letter, then letters, digits or -'),
    kubernetesVersion: z.enum(KUBERNETES_VERSIONS),
    endpointPublicAccess: z.boolean(),
    /** CIDRs allowed to reach the public API endpoint (CART_ADMIN_CIDRS); at least one when it is public. */
    publicAccessCidrs: z.array(cidr),
    /** Overrides of the pinned core add-on versions. */
    coreAddonVersions: coreAddonVersionsSchema,
    /** Refuse `terraform destroy` of the cluster (`prevent_destroy`; the aws provider 5.x has no EKS deletion-protection argument). */
    deletionProtection: z.boolean(),
    /** At the end of standard support: STANDARD auto-upgrades; EXTENDED stays 12 months at extended-support price. */
    upgradePolicy: z.enum(UPGRADE_SUPPORT_TYPES),
    /** Retention of the control-plane log group. */
    logRetentionDays: z.union([z.literal(7), z.literal(14), z.literal(30), z.literal(90), z.literal(365)]),
    /**
     * A Fargate profile (with its pod execution role) for one namespace, on the private subnets: e.g. to run a
     * controller off the nodes Karpenter manages. Pods there get no Pod Identity (IRSA only).
     */
    fargate: z.strictObject({
      enabled: z.boolean(),
      /** The namespace whose pods run on Fargate. */
      namespace: dnsLabel,
      /** Only pods with all these labels. */
      labels: z.record(z.string(), z.string()),
    }),
  }),
  nodeGroups: z.array(nodeGroupSchema).min(1),
  addons: addonsSchema,
  cart: cartSchema,
  /** The cart's alarms and dashboard (the `observability` stack). */
  observability: z.strictObject({
    /** Alarm on the ALB's 5xx and p99 (the ALB is found by its Load Balancer Controller tags: deploy the Ingress first). */
    loadBalancerAlarms: z.boolean(),
    /** Subscribed to the alarm topic (CART_ALARM_EMAIL); `undefined` means no subscription. */
    alarmEmail: z.email().optional(),
  }),
  local: localSchema,
  delivery: deliverySchema,
  gitops: gitopsSchema,
});

/** An environment: its fields, the checks across fields, then the derived names. */
export const environmentConfigSchema = environmentFieldsSchema
  .superRefine((config, ctx) => {
    config.network.availabilityZoneIds.forEach((zoneId, i) => {
      // A malformed region or zone id already has its own issue.
      if (!AWS_REGION.pattern.test(config.region) || !ZONE_ID.test(zoneId)) return;
      const problem = zoneIdProblem(config.region, zoneId);
      if (problem !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['network', 'availabilityZoneIds', i], message: problem });
      }
    });
    const azCount = config.network.availabilityZoneIds.length;
    for (const key of ['publicSubnetCidrs', 'privateSubnetCidrs'] as const) {
      if (config.network[key].length !== azCount) {
        ctx.addIssue({
          code: 'custom',
          path: ['network', key],
          message: `must have one CIDR per availability zone (${azCount}), got ${config.network[key].length}`,
        });
      }
    }
    config.nodeGroups.forEach((group, i) => {
      if (!(group.minSize <= group.desiredSize && group.desiredSize <= group.maxSize)) {
        ctx.addIssue({
          code: 'custom',
          path: ['nodeGroups', i, 'desiredSize'],
          message: `must satisfy minSize (${group.minSize}) <= desiredSize (${group.desiredSize}) <= maxSize (${group.maxSize})`,
        });
      }
    });
    const names = config.nodeGroups.map((g) => g.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) {
      ctx.addIssue({
        code: 'custom',
        path: ['nodeGroups'],
        message: `node group names must be unique; "${duplicate}" repeats`,
      });
    }
    const { minReplicas, maxReplicas } = config.cart.autoscaling;
    if (minReplicas > maxReplicas) {
      ctx.addIssue({
        code: 'custom',
        path: ['cart', 'autoscaling', 'minReplicas'],
        message: `must be <= maxReplicas (${maxReplicas})`,
      });
    }
    checkExposure(config.cart, ctx);
    checkDns(config, ctx);
    checkCartInstances(config, ctx);
    checkApiEndpoint(config, ctx);
    checkGitops(config, ctx);
    checkTracing(config, ctx);
    checkSystemNodes(config, ctx);
  })
  .transform(withDerivedNames);

type Checked = z.infer<typeof environmentFieldsSchema>;

/** A public API endpoint needs the administrators' ranges; prod never gets a documentation range. */
function checkApiEndpoint(config: Checked, ctx: z.core.$RefinementCtx<Checked>): void {
  if (config.cluster.endpointPublicAccess && config.cluster.publicAccessCidrs.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['cluster', 'publicAccessCidrs'],
      message:
        'is empty while endpointPublicAccess is true: set CART_ADMIN_CIDRS, or make the endpoint private',
    });
  }
  if (config.environment === 'prod') {
    config.cluster.publicAccessCidrs.forEach((block, i) => {
      const range = DOCUMENTATION_RANGES.find((doc) => cidrContains(doc, block));
      if (range !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['cluster', 'publicAccessCidrs', i],
          message: `is inside ${range}, an RFC 5737 documentation range no administrator connects from; set CART_ADMIN_CIDRS to your VPN or office ranges`,
        });
      }
    });
  }
}

/** GitOps needs a repository to track and Argo CD to track it. */
function checkGitops(config: Checked, ctx: z.core.$RefinementCtx<Checked>): void {
  if (config.gitops.enabled && config.gitops.repoUrl === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['gitops', 'repoUrl'],
      message: 'is required when gitops.enabled',
    });
  }
  if (config.gitops.enabled && !config.addons.argoCd.enabled) {
    ctx.addIssue({
      code: 'custom',
      path: ['addons', 'argoCd', 'enabled'],
      message: 'must be true when gitops.enabled (Argo CD syncs the cart)',
    });
  }
}

/** Traces need a receiver: the CloudWatch agent with its OTLP traces pipeline; ALB alarms need an ALB. */
function checkTracing(config: Checked, ctx: z.core.$RefinementCtx<Checked>): void {
  if (config.observability.loadBalancerAlarms && config.cart.exposure === 'off') {
    ctx.addIssue({
      code: 'custom',
      path: ['observability', 'loadBalancerAlarms'],
      message:
        'is true but cart.exposure is "off": no Ingress, no ALB to alarm on — set cart.exposure to "internal" or "internet-facing", or loadBalancerAlarms to false',
    });
  }
  if (config.observability.loadBalancerAlarms && config.cart.instances.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['observability', 'loadBalancerAlarms'],
      message:
        'is true with cart.instances: each exposed instance has its own Ingress and the ALB alarms cover one — set loadBalancerAlarms to false (the per-instance table and pod alarms stay)',
    });
  }
  const agent = config.addons.cloudwatchObservability;
  if (config.cart.tracing.enabled && !(agent.enabled && agent.traces)) {
    ctx.addIssue({
      code: 'custom',
      path: ['cart', 'tracing', 'enabled'],
      message:
        'is true but nothing receives the traces: set addons.cloudwatchObservability.enabled and .traces to true',
    });
  }
}

/**
 * With Karpenter, a `system` node group runs it and the controllers (it gets the CriticalAddonsOnly taint) and the
 * cart goes to Karpenter's nodes; without Karpenter, some node group must take the cart (no NoSchedule/NoExecute).
 */
function checkSystemNodes(config: Checked, ctx: z.core.$RefinementCtx<Checked>): void {
  const karpenter = config.addons.karpenter.enabled;
  if (karpenter && !config.nodeGroups.some((g) => g.role === 'system')) {
    ctx.addIssue({
      code: 'custom',
      path: ['nodeGroups'],
      message: `has no group with role "system" while addons.karpenter.enabled: Karpenter must run on nodes it does not manage — set role: "system" on one group (it gets the taint ${CRITICAL_ADDONS_TAINT.key}=${CRITICAL_ADDONS_TAINT.value}:NoSchedule)`,
    });
  }
  if (!karpenter && !config.nodeGroups.some((g) => isOpenNodeGroup(g.taints))) {
    ctx.addIssue({
      code: 'custom',
      path: ['nodeGroups'],
      message: `every node group has a NoSchedule/NoExecute taint (${config.nodeGroups.map((g) => g.name).join(', ')}) and addons.karpenter.enabled is false: the cart would stay Pending — enable Karpenter or add an untainted group`,
    });
  }
}

/** An exposed cart is HTTPS only: a certificate by ARN, or a hostname and the zone to validate one in. */
function checkExposure(
  cart: { exposure: CartExposure; certificateArn?: string; hostname?: string; hostedZoneId?: string },
  ctx: z.core.$RefinementCtx,
): void {
  if (cart.exposure === 'off' || cart.certificateArn !== undefined) return;
  if (cart.hostname !== undefined && cart.hostedZoneId !== undefined) return;
  ctx.addIssue({
    code: 'custom',
    path: ['cart', 'certificateArn'],
    message: `is not set while cart.exposure is "${cart.exposure}": the Ingress is HTTPS only — set certificateArn, or hostname and hostedZoneId to create a DNS-validated certificate, or set exposure "off"`,
  });
}

/**
 * A published hostname needs ExternalDNS to own its record: installed (it is only with hosted zones), allowed to
 * write the cart's zone, and filtering a domain the hostname is in. Otherwise the Ingress carries the hostname
 * annotation and nobody ever creates the record.
 */
function checkDns(config: Checked, ctx: z.core.$RefinementCtx<Checked>): void {
  const { cart } = config;
  const dns = config.addons.externalDns;
  if (cart.exposure === 'off' || cart.hostname === undefined) return;
  const issue = (key: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: ['addons', 'externalDns', key], message });
  if (!dns.enabled || dns.hostedZoneIds.length === 0) {
    issue(
      dns.enabled ? 'hostedZoneIds' : 'enabled',
      `ExternalDNS is not installed, so nothing creates the record of cart.hostname "${cart.hostname}": enable addons.externalDns with the hostname's zone in hostedZoneIds and its domain in domainFilters, or leave cart.hostname unset`,
    );
    return;
  }
  if (cart.hostedZoneId !== undefined && !dns.hostedZoneIds.includes(cart.hostedZoneId)) {
    issue(
      'hostedZoneIds',
      `does not include cart.hostedZoneId "${cart.hostedZoneId}": ExternalDNS may not write the record of cart.hostname "${cart.hostname}" there`,
    );
  }
  const inFilter = dns.domainFilters.some((d) => cart.hostname === d || cart.hostname?.endsWith(`.${d}`));
  if (!inFilter) {
    issue(
      'domainFilters',
      `[${dns.domainFilters.join(', ')}] does not cover cart.hostname "${cart.hostname}": ExternalDNS would ignore its Ingress`,
    );
  }
}

/** RFC 5737 ranges: examples in documentation, never real networks. */
const DOCUMENTATION_RANGES = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'];

/**
 * Fills the names that must be unique beyond the environment: the state bucket (S3 names are global) and the
 * image repository (per account and region, shared by dev and prod when they share an account).
 */
function withDerivedNames<T extends DerivableConfig>(config: T, ctx: z.core.$RefinementCtx<T>) {
  const bucketName =
    config.state.bucketName ??
    `${config.project}-${config.environment}-tfstate-${config.account.id}-${config.region}`;
  if (bucketName.length > 63) {
    ctx.addIssue({
      code: 'custom',
      path: ['state', 'bucketName'],
      message: `derived name "${bucketName}" is longer than S3's 63 characters; shorten project or set state.bucketName`,
    });
  }
  return {
    ...config,
    state: { ...config.state, bucketName },
    cart: {
      ...config.cart,
      ecrRepositoryName: config.cart.ecrRepositoryName ?? `${config.project}-${config.environment}/cart`,
    },
  };
}

interface DerivableConfig {
  readonly project: string;
  readonly environment: string;
  readonly region: string;
  readonly account: { readonly id: string };
  readonly state: { readonly bucketName?: string };
  readonly cart: { readonly ecrRepositoryName?: string };
}

/** A validated environment configuration, derived names filled in. */
export type EnvironmentConfig = z.output<typeof environmentConfigSchema>;
/** An environment's values before validation (derived names may be left out). */
export type EnvironmentInput = z.input<typeof environmentConfigSchema>;
/** What callers may pass: any subset, deep-merged over an environment's defaults. */
export type EnvironmentOverrides = DeepPartial<EnvironmentInput>;
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** Thrown when a configuration is invalid; its message lists every problem, one per line. */
export class ConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Invalid configuration for environment "${environment}":\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Validates a raw configuration; throws a ConfigError naming each field, its value and what is allowed. */
export function validateConfig(raw: unknown): EnvironmentConfig {
  const result = environmentConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const environment =
    typeof raw === 'object' && raw !== null && 'environment' in raw ? String(raw.environment) : 'unknown';
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const value = valueAt(raw, issue.path);
    return `${path || '(root)'}: ${JSON.stringify(value) ?? 'undefined'} — ${describeIssue(issue)}`;
  });
  throw new ConfigError(environment, problems);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') {
    return `allowed values: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (issue.code === 'unrecognized_keys') {
    return `unknown field(s) ${issue.keys.join(', ')}; check the spelling against stacks/config/schema.ts`;
  }
  return issue.message;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Deep-merges plain objects; arrays and scalars in `override` replace those in `base`. */
export function deepMerge<T>(base: T, override: DeepPartial<T> | undefined): T {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    merged[key] = deepMerge((base as Record<string, unknown>)[key], value as never);
  }
  return merged as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
