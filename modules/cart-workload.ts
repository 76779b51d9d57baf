import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import {
  DeploymentV1,
  type DeploymentV1SpecTemplateSpecContainerVolumeMount,
  type DeploymentV1SpecTemplateSpecVolume,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import {
  CONTAINER_USER_ID,
  DEFAULT_PORT,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  HEALTH_PATHS,
} from '@cart-platform/service/contract';
import { SECRETS_STORE_CSI_DRIVER } from './secret-provider-class';

/** Where mounted secrets appear in the container. */
export const SECRETS_MOUNT_PATH = '/mnt/secrets-store';
/** The node label zones are spread over. */
export const ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';

/** Container resources (Kubernetes quantities). */
export interface CartResources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
}

/** The upstream chart's requests; the limit keeps memory equal to the request so the pod is never OOM-evicted first. */
export const DEFAULT_CART_RESOURCES: CartResources = {
  cpuRequest: '250m',
  memoryRequest: '512Mi',
  cpuLimit: '1',
  memoryLimit: '512Mi',
};

/** An ALB Ingress (AWS Load Balancer Controller). */
export interface CartIngressProps {
  /**
   * IngressClass.
   * @default 'alb'
   */
  readonly className?: string;
  /**
   * `internet-facing` or `internal`.
   * @default 'internet-facing'
   */
  readonly scheme?: 'internet-facing' | 'internal';
  /** Hostname ExternalDNS publishes and the rule matches. @default - no host rule, no DNS record */
  readonly hostname?: string;
  /** ACM certificate: HTTPS on 443 and HTTP redirected to it. @default - HTTP on 80 only */
  readonly certificateArn?: string;
}

/** HorizontalPodAutoscaler on CPU. */
export interface CartAutoscalingProps {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Average CPU utilization target, percent of the request. */
  readonly targetCpuPercent: number;
}

/** An environment variable read from a Secret. */
export interface SecretEnvironmentProps {
  /** The Secret's name (same namespace). */
  readonly secretName: string;
  /** Variable name → key in the Secret. */
  readonly keys: Readonly<Record<string, string>>;
}

export interface CartWorkloadProps {
  /** Namespace of every object. */
  readonly namespace: string;
  /**
   * Create the namespace (false when the caller owns it).
   * @default true
   */
  readonly createNamespace?: boolean;
  /** Name of the ServiceAccount the pods run as (the one the Pod Identity association or IRSA trust names). */
  readonly serviceAccountName: string;
  /**
   * ServiceAccount annotations (`eks.amazonaws.com/role-arn` for IRSA).
   * @default {}
   */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
  /** Container image reference, `repository:tag`. */
  readonly image: string;
  /**
   * Image pull policy; `IfNotPresent` also serves images imported into a node (K3s `ctr images import`).
   * @default 'IfNotPresent'
   */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** The ConfigMap's data, passed to the container with envFrom. */
  readonly environment: Readonly<Record<string, string>>;
  /** Variables read from a Secret with secretKeyRef. @default - none */
  readonly secretEnvironment?: SecretEnvironmentProps;
  /**
   * Name of the Deployment, Service and ConfigMap (`carts` upstream: the UI calls `http://carts.carts.svc`).
   * @default 'carts'
   */
  readonly name?: string;
  /**
   * Replicas (ignored after creation when autoscaling is on: the HPA owns the count).
   * @default 2
   */
  readonly replicas?: number;
  /** @default DEFAULT_CART_RESOURCES */
  readonly resources?: CartResources;
  /**
   * Container port.
   * @default 8080
   */
  readonly port?: number;
  /** Expose the Service on this NodePort (the local world). @default - ClusterIP */
  readonly nodePort?: number;
  /** An ALB Ingress in front of the Service. @default - no Ingress */
  readonly ingress?: CartIngressProps;
  /** A HorizontalPodAutoscaler. @default - fixed replicas */
  readonly autoscaling?: CartAutoscalingProps;
  /**
   * A PodDisruptionBudget with minAvailable 1 (off for a single-replica laptop cluster, where it blocks drains).
   * @default true
   */
  readonly podDisruptionBudget?: boolean;
  /** A SecretProviderClass mounted read-only at /mnt/secrets-store. @default - no secrets volume */
  readonly secretProviderClassName?: string;
  /** Resources the Deployment waits for (e.g. DynamoDB Local). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The cart's Kubernetes workload, in the shape of the upstream Helm chart: namespace, ServiceAccount, ConfigMap,
 * a hardened Deployment with probes, zone spreading and Prometheus annotations, the `carts` Service, and optionally
 * an ALB Ingress, an HPA and a PodDisruptionBudget. The EKS and local stacks both use it; only the environment and
 * the way in differ.
 */
export class CartWorkload extends Construct {
  /** The namespace name (a reference to the namespace resource when this construct creates it). */
  public readonly namespaceName: string;
  public readonly namespace?: NamespaceV1;
  public readonly serviceAccount: ServiceAccountV1;
  public readonly configMap: ConfigMapV1;
  public readonly deployment: DeploymentV1;
  public readonly service: ServiceV1;
  public readonly ingress?: IngressV1;
  public readonly autoscaler?: HorizontalPodAutoscalerV2;
  public readonly disruptionBudget?: PodDisruptionBudgetV1;
  /** Labels selecting the cart's pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: CartWorkloadProps) {
    super(scope, id);
    const name = props.name ?? 'carts';
    const port = props.port ?? DEFAULT_PORT;
    const replicas = props.replicas ?? 2;
    const resources = props.resources ?? DEFAULT_CART_RESOURCES;
    const pdb = props.podDisruptionBudget ?? true;
    validate(props, name, port, replicas);

    this.selectorLabels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'service' };
    const labels = { ...this.selectorLabels, 'app.kubernetes.io/managed-by': 'cdktf' };

    if (props.createNamespace ?? true) {
      this.namespace = new NamespaceV1(this, 'namespace', { metadata: { name: props.namespace, labels } });
      this.namespaceName = this.namespace.metadata.name;
    } else {
      this.namespaceName = props.namespace;
    }
    const namespace = this.namespaceName;

    this.serviceAccount = new ServiceAccountV1(this, 'service-account', {
      metadata: {
        name: props.serviceAccountName,
        namespace,
        labels,
        annotations: { ...props.serviceAccountAnnotations },
      },
    });
    this.configMap = new ConfigMapV1(this, 'config', {
      metadata: { name, namespace, labels },
      data: { ...props.environment },
    });

    const secretEnv = Object.entries(props.secretEnvironment?.keys ?? {}).map(([variable, key]) => ({
      name: variable,
      valueFrom: { secretKeyRef: { name: props.secretEnvironment?.secretName, key } },
    }));
    const probe = (path: string, failureThreshold: number) => ({
      httpGet: { path, port: String(port) },
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold,
    });
    const volumes: DeploymentV1SpecTemplateSpecVolume[] = [
      // The only writable path the service needs (the root filesystem is read-only).
      { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    ];
    const volumeMounts: DeploymentV1SpecTemplateSpecContainerVolumeMount[] = [
      { name: 'tmp', mountPath: '/tmp' },
    ];
    if (props.secretProviderClassName !== undefined) {
      volumes.push({
        name: 'secrets-store',
        csi: {
          driver: SECRETS_STORE_CSI_DRIVER,
          readOnly: true,
          volumeAttributes: { secretProviderClass: props.secretProviderClassName },
        },
      });
      volumeMounts.push({ name: 'secrets-store', mountPath: SECRETS_MOUNT_PATH, readOnly: true });
    }

    this.deployment = new DeploymentV1(this, 'deployment', {
      metadata: { name, namespace, labels },
      spec: {
        // With an HPA, start inside its range (it would clamp the count on its first sync anyway).
        replicas: String(
          props.autoscaling === undefined
            ? replicas
            : Math.min(Math.max(replicas, props.autoscaling.minReplicas), props.autoscaling.maxReplicas),
        ),
        selector: { matchLabels: this.selectorLabels },
        // Never below the desired count during a rollout: one extra pod comes up, becomes ready, then one goes.
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0', maxSurge: '1' } },
        template: {
          metadata: {
            labels,
            annotations: {
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': String(port),
              'prometheus.io/path': HEALTH_PATHS.metrics,
            },
          },
          spec: {
            serviceAccountName: this.serviceAccount.metadata.name,
            // Above the service's own shutdown timeout, so in-flight requests finish before SIGKILL.
            terminationGracePeriodSeconds: Math.ceil(DEFAULT_SHUTDOWN_TIMEOUT_MS / 1000) + 10,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: String(CONTAINER_USER_ID),
              runAsGroup: String(CONTAINER_USER_ID),
              fsGroup: String(CONTAINER_USER_ID),
              seccompProfile: { type: 'RuntimeDefault' },
            },
            topologySpreadConstraint: [
              {
                maxSkew: 1,
                topologyKey: ZONE_TOPOLOGY_KEY,
                // A preference: a single-zone (or unlabelled laptop) cluster still schedules every replica.
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: [{ matchLabels: this.selectorLabels }],
              },
            ],
            container: [
              {
                name,
                image: props.image,
                imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
                port: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
                envFrom: [{ configMapRef: { name: this.configMap.metadata.name } }],
                env: secretEnv,
                resources: {
                  requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
                  limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit },
                },
                readinessProbe: probe(HEALTH_PATHS.readiness, 3),
                livenessProbe: { ...probe(HEALTH_PATHS.liveness, 3), initialDelaySeconds: 10 },
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: String(CONTAINER_USER_ID),
                  readOnlyRootFilesystem: true,
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                volumeMount: volumeMounts,
              },
            ],
            volume: volumes,
          },
        },
      },
      // With an HPA the replica count is the autoscaler's; Terraform setting it back would fight it.
      ...(props.autoscaling !== undefined && { lifecycle: { ignoreChanges: ['spec[0].replicas'] } }),
      dependsOn: props.dependsOn,
    });

    this.service = new ServiceV1(this, 'service', {
      metadata: { name, namespace, labels },
      spec: {
        type: props.nodePort === undefined ? 'ClusterIP' : 'NodePort',
        selector: this.selectorLabels,
        port: [
          {
            name: 'http',
            port: 80,
            targetPort: 'http',
            protocol: 'TCP',
            ...(props.nodePort !== undefined && { nodePort: props.nodePort }),
          },
        ],
      },
    });

    if (props.ingress !== undefined) {
      this.ingress = new IngressV1(this, 'ingress', {
        metadata: { name, namespace, labels, annotations: ingressAnnotations(props.ingress) },
        spec: {
          ingressClassName: props.ingress.className ?? 'alb',
          rule: [
            {
              ...(props.ingress.hostname !== undefined && { host: props.ingress.hostname }),
              http: {
                path: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name: this.service.metadata.name, port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
      });
    }

    if (props.autoscaling !== undefined) {
      this.autoscaler = new HorizontalPodAutoscalerV2(this, 'autoscaler', {
        metadata: { name, namespace, labels },
        spec: {
          minReplicas: props.autoscaling.minReplicas,
          maxReplicas: props.autoscaling.maxReplicas,
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.deployment.metadata.name },
          metric: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: props.autoscaling.targetCpuPercent },
              },
            },
          ],
        },
      });
    }

    if (pdb) {
      this.disruptionBudget = new PodDisruptionBudgetV1(this, 'disruption-budget', {
        metadata: { name, namespace, labels },
        spec: { minAvailable: '1', selector: { matchLabels: this.selectorLabels } },
      });
    }
  }
}

/** The AWS Load Balancer Controller's and ExternalDNS's annotations for the cart's Ingress. */
export function ingressAnnotations(ingress: CartIngressProps): Record<string, string> {
  const annotations: Record<string, string> = {
    'alb.ingress.kubernetes.io/scheme': ingress.scheme ?? 'internet-facing',
    // Pods register directly (VPC CNI gives them VPC addresses): no NodePort hop, and readiness gates work.
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/healthcheck-path': HEALTH_PATHS.readiness,
  };
  if (ingress.certificateArn !== undefined) {
    annotations['alb.ingress.kubernetes.io/listen-ports'] = JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]);
    annotations['alb.ingress.kubernetes.io/ssl-redirect'] = '443';
    annotations['alb.ingress.kubernetes.io/certificate-arn'] = ingress.certificateArn;
  } else {
    annotations['alb.ingress.kubernetes.io/listen-ports'] = JSON.stringify([{ HTTP: 80 }]);
  }
  if (ingress.hostname !== undefined) {
    annotations['external-dns.alpha.kubernetes.io/hostname'] = ingress.hostname;
  }
  return annotations;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** `registry[:port]/path[:tag][@sha256:digest]`, lowercase path. */
const IMAGE_REFERENCE = /^[a-z0-9][a-z0-9._/:-]*[a-z0-9](:\w[\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

function validate(props: CartWorkloadProps, name: string, port: number, replicas: number): void {
  const names = { namespace: props.namespace, serviceAccountName: props.serviceAccountName, name };
  for (const [key, value] of Object.entries(names)) {
    if (!Token.isUnresolved(value) && !DNS_LABEL.test(value)) {
      throw new Error(
        `CartWorkload ${key}: "${value}" is not a Kubernetes name (lowercase a-z, 0-9, -; at most 63)`,
      );
    }
  }
  if (!Token.isUnresolved(props.image) && !IMAGE_REFERENCE.test(props.image)) {
    throw new Error(`CartWorkload image: "${props.image}" is not an image reference such as repo/name:1.0.0`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`CartWorkload port: ${port} must be an integer in 1-65535`);
  }
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new Error(`CartWorkload replicas: ${replicas} must be an integer >= 1`);
  }
  const nodePort = props.nodePort;
  if (nodePort !== undefined && (!Number.isInteger(nodePort) || nodePort < 30_000 || nodePort > 32_767)) {
    throw new Error(`CartWorkload nodePort: ${nodePort} must be in the NodePort range 30000-32767`);
  }
  if (nodePort !== undefined && props.ingress !== undefined) {
    throw new Error('CartWorkload nodePort: set together with ingress; choose one way in');
  }
  const scaling = props.autoscaling;
  if (scaling !== undefined) {
    if (!Number.isInteger(scaling.minReplicas) || scaling.minReplicas < 1) {
      throw new Error(`CartWorkload autoscaling.minReplicas: ${scaling.minReplicas} must be an integer >= 1`);
    }
    if (!Number.isInteger(scaling.maxReplicas) || scaling.maxReplicas < scaling.minReplicas) {
      throw new Error(
        `CartWorkload autoscaling.maxReplicas: ${scaling.maxReplicas} must be an integer >= minReplicas (${scaling.minReplicas})`,
      );
    }
    if (scaling.targetCpuPercent < 1 || scaling.targetCpuPercent > 100) {
      throw new Error(
        `CartWorkload autoscaling.targetCpuPercent: ${scaling.targetCpuPercent} must be in 1-100`,
      );
    }
  }
  const cert = props.ingress?.certificateArn;
  if (cert !== undefined && !Token.isUnresolved(cert) && !/^arn:aws[a-z-]*:acm:/.test(cert)) {
    throw new Error(`CartWorkload ingress.certificateArn: "${cert}" is not an ACM certificate ARN`);
  }
  const host = props.ingress?.hostname;
  if (
    host !== undefined &&
    !Token.isUnresolved(host) &&
    !/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(host)
  ) {
    throw new Error(
      `CartWorkload ingress.hostname: "${host}" is not a lowercase DNS name such as cart.example.com`,
    );
  }
}
