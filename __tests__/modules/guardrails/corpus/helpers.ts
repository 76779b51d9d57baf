/** Building blocks for the corpus: a cart deployed as a raw Kubernetes manifest, another workload's role, patches. */
import { TerraformStack } from 'cdktf';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { ENV } from '@cart-platform/service/contract';
import { policyDocument } from '../../../../modules/iam-policy';
import { NAMESPACE, REGION, SERVICE_ACCOUNT, TABLE_NAME, type Fixture } from '../fixture';

/** A container security context that passes every container rule (Kubernetes field names). */
export const HARDENED = {
  runAsNonRoot: true,
  runAsUser: 1000,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
} as const;

/** The same for provider resources (snake_case once synthesized, camelCase as props). */
export const HARDENED_PROPS = {
  runAsNonRoot: true,
  runAsUser: '1000',
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
} as const;

export const LIMITS = {
  limits: { cpu: '500m', memory: '256Mi' },
  requests: { cpu: '250m', memory: '256Mi' },
};

/** The cart's own variables, right for the fixture (Kubernetes `env` entries). */
export const CART_ENV = [
  { name: ENV.provider, value: 'dynamodb' },
  { name: ENV.tableName, value: TABLE_NAME },
  { name: ENV.region, value: REGION },
];

export interface ManifestWorkloadOptions {
  readonly kind?: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'Pod';
  readonly env?: readonly Record<string, unknown>[];
  readonly envFrom?: readonly Record<string, unknown>[];
  /** Merged over the container. */
  readonly container?: Record<string, unknown>;
  /** Merged over the pod spec. */
  readonly podSpec?: Record<string, unknown>;
  readonly serviceAccountName?: string;
  readonly name?: string;
}

/** A workload as a `kubernetes_manifest` (the way users paste YAML from upstream), by default a correct cart. */
export function manifestWorkload(scope: TerraformStack, id: string, options: ManifestWorkloadOptions = {}) {
  const kind = options.kind ?? 'Deployment';
  const name = options.name ?? 'carts-canary';
  const podSpec = {
    serviceAccountName: options.serviceAccountName ?? SERVICE_ACCOUNT,
    securityContext: { runAsNonRoot: true, runAsUser: 1000 },
    containers: [
      {
        name: 'carts',
        image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/retail-store/cart:1.0.0',
        env: options.env ?? CART_ENV,
        ...(options.envFrom !== undefined && { envFrom: options.envFrom }),
        resources: LIMITS,
        securityContext: HARDENED,
        ...options.container,
      },
    ],
    ...options.podSpec,
  };
  const template = { metadata: { labels: { app: name } }, spec: podSpec };
  const spec =
    kind === 'Pod'
      ? podSpec
      : kind === 'CronJob'
        ? { schedule: '0 3 * * *', jobTemplate: { spec: { template } } }
        : kind === 'Job'
          ? { template }
          : { selector: { matchLabels: { app: name } }, template };
  return new Manifest(scope, id, {
    manifest: {
      apiVersion: kind === 'CronJob' || kind === 'Job' ? 'batch/v1' : kind === 'Pod' ? 'v1' : 'apps/v1',
      kind,
      metadata: { name, namespace: NAMESPACE },
      spec,
    },
  });
}

/** A raw manifest of any kind in the cart's namespace. */
export function manifestObject(scope: TerraformStack, id: string, object: Record<string, unknown>) {
  return new Manifest(scope, id, { manifest: object });
}

/** Another workload's Pod Identity role (the Load Balancer Controller's), in the cart stack. */
export function loadBalancerControllerRole(f: Fixture): IamRole {
  const role = new IamRole(f.stacks.cart, 'lbc-role', {
    name: 'retail-prod-lbc',
    assumeRolePolicy: policyDocument([
      {
        principals: { Service: 'pods.eks.amazonaws.com' },
        actions: ['sts:AssumeRole', 'sts:TagSession'],
      },
    ]),
  });
  new EksPodIdentityAssociation(f.stacks.cart, 'lbc-association', {
    clusterName: f.cluster.name,
    namespace: 'kube-system',
    serviceAccount: 'aws-load-balancer-controller',
    roleArn: role.arn,
  });
  return role;
}

/** Sets an attribute of the fixture's cart container with an escape hatch. */
export function containerOverride(f: Fixture, key: string, value: unknown): void {
  f.deployment.addOverride(`spec.template.spec.container.0.${key}`, value);
}

/** Sets an attribute of the fixture's pod spec with an escape hatch. */
export function podOverride(f: Fixture, key: string, value: unknown): void {
  f.deployment.addOverride(`spec.template.spec.${key}`, value);
}

/** An ASCP SecretProviderClass `carts-secrets` in the cart's namespace; `usePodIdentity` as given (or absent). */
export function secretProviderClass(scope: TerraformStack, id: string, usePodIdentity?: string): Manifest {
  return manifestObject(scope, id, {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: { name: 'carts-secrets', namespace: NAMESPACE },
    spec: {
      provider: 'aws',
      parameters: {
        objects: '- objectName: "retail/cart/api"\n  objectType: "secretsmanager"\n',
        ...(usePodIdentity !== undefined && { usePodIdentity }),
      },
    },
  });
}

/** The fixture's cart pods mount `carts-secrets` through the Secrets Store CSI driver. */
export function mountCartSecrets(f: Fixture): void {
  podOverride(f, 'volume', [
    {
      name: 'secrets-store',
      csi: {
        driver: 'secrets-store.csi.k8s.io',
        read_only: true,
        volume_attributes: { secretProviderClass: 'carts-secrets' },
      },
    },
  ]);
  containerOverride(f, 'volume_mount', [
    { name: 'secrets-store', mount_path: '/mnt/secrets-store', read_only: true },
  ]);
}
