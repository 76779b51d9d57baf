/**
 * The cart's Kubernetes workload, in the shape of the upstream Helm chart, composed from the generic constructs in
 * `kubernetes/`. Only what is the cart's lives here: its names and labels, its port, probes and metrics path, its
 * user, its grace period, the ConfigMap and Secret variables, and the secrets mount.
 */
import { type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import type {
  DeploymentV1SpecTemplateSpecContainerEnv,
  DeploymentV1SpecTemplateSpecContainerReadinessProbe,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import {
  ALB_DEREGISTRATION_DELAY_SECONDS,
  CONTAINER_USER_ID,
  DEFAULT_PORT,
  DEFAULT_SHUTDOWN_DRAIN_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  ENV,
  HEALTH_PATHS,
  TERMINATION_GRACE_PERIOD_SECONDS,
} from '@cart-platform/service/contract';
import { AlbIngress } from './kubernetes/alb-ingress';
import {
  HardenedDeployment,
  TMP_VOLUME,
  type ContainerResources,
  type HardenedDeploymentProps,
  type PodVolume,
} from './kubernetes/hardened-deployment';
import { HorizontalPodAutoscaler } from './kubernetes/horizontal-pod-autoscaler';
import { NetworkPolicy, type NetworkRule } from './kubernetes/network-policy';
import { PodDisruptionBudget } from './kubernetes/pod-disruption-budget';
import { Service } from './kubernetes/service';
import { checkName } from './kubernetes/validation';
import { SECRETS_STORE_CSI_DRIVER } from './secret-provider-class';

/** Where mounted secrets appear in the container. */
export const SECRETS_MOUNT_PATH = '/mnt/secrets-store';
/** The port the `carts` Service listens on (the UI calls `http://carts.carts.svc`). */
export const CART_SERVICE_PORT = 80;
/** The only path prefix an Ingress routes: the carts API (never /actuator/*, /topology or /health). */
export const CART_API_PATHS = ['/carts'] as const;
/**
 * The Load Balancer Controller's label: it injects a readiness gate into the namespace's pods, so a rollout waits
 * until the ALB reports a new pod healthy before it takes an old one down.
 */
export const POD_READINESS_GATE_LABEL = { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' } as const;

/** The upstream chart's requests; the limit keeps memory equal to the request so the pod is never OOM-evicted first. */
export const DEFAULT_CART_RESOURCES: ContainerResources = {
  cpuRequest: '250m',
  memoryRequest: '512Mi',
  cpuLimit: '1',
  memoryLimit: '512Mi',
};

/** The Deployment, Service and ConfigMap name (upstream's; Container Insights' `PodName` of the cart). */
export const CART_WORKLOAD_NAME = 'carts';

/** An ALB Ingress (AWS Load Balancer Controller) in front of the cart, routing only the carts API. */
export interface CartIngressProps {
  /**
   * IngressClass.
   * @default 'alb'
   */
  readonly className?: string;
  /**
   * `internet-facing` or `internal`.
   * @default 'internal'
   */
  readonly scheme?: 'internet-facing' | 'internal';
  /** Hostname ExternalDNS publishes and the rule matches. @default - no host rule, no DNS record */
  readonly hostname?: string;
  /** ACM certificate: HTTPS on 443 and HTTP redirected to it. @default - HTTP on 80 only */
  readonly certificateArn?: string;
  /** IngressGroup sharing one ALB. @default - an ALB of its own */
  readonly groupName?: string;
  /** Regional WAFv2 web ACL on the ALB. @default - no WAF */
  readonly wafAclArn?: string;
}

/** HorizontalPodAutoscaler on CPU. */
export interface CartAutoscalingProps {
  /** Fewest pods. */
  readonly minReplicas: number;
  /** Most pods. */
  readonly maxReplicas: number;
  /** Average CPU utilization target, percent of the request. */
  readonly targetCpuPercent: number;
}

/** The namespace's NetworkPolicies: everything denied, then these flows allowed for the cart's pods. */
export interface CartNetworkPolicyProps {
  /** Flows into the cart's pods (on the container port). */
  readonly ingress: readonly NetworkRule[];
  /** Flows out of the cart's pods. */
  readonly egress: readonly NetworkRule[];
}

/** Environment variables read from a Secret. */
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
  /**
   * Container requests and limits.
   * @default DEFAULT_CART_RESOURCES
   */
  readonly resources?: ContainerResources;
  /**
   * Container port.
   * @default 8080
   */
  readonly port?: number;
  /** Expose the Service on this NodePort (the local world). @default - ClusterIP */
  readonly nodePort?: number;
  /** An ALB Ingress in front of the Service. @default - no Ingress */
  readonly ingress?: CartIngressProps;
  /** Default-deny NetworkPolicies for the namespace and an allow-list for the cart. @default - no policies */
  readonly networkPolicy?: CartNetworkPolicyProps;
  /** A HorizontalPodAutoscaler. @default - fixed replicas */
  readonly autoscaling?: CartAutoscalingProps;
  /**
   * A PodDisruptionBudget with minAvailable 1 (off for a single-replica laptop cluster, where it blocks drains).
   * @default true
   */
  readonly podDisruptionBudget?: boolean;
  /** A SecretProviderClass mounted read-only at /mnt/secrets-store. @default - no secrets volume */
  readonly secretProviderClassName?: string;
  /** Resources the Deployment waits for (DynamoDB Local, the SecretProviderClass it mounts). @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The cart's Kubernetes workload: namespace, ServiceAccount, ConfigMap, a hardened Deployment with probes, zone
 * spreading and Prometheus annotations, the `carts` Service, and optionally an ALB Ingress, an HPA and a
 * PodDisruptionBudget. The EKS and local stacks both use it; only the environment and the way in differ.
 */
export class CartWorkload extends Construct {
  /** The namespace name (a reference to the namespace resource when this construct creates it). */
  public readonly namespaceName: string;
  public readonly namespace?: NamespaceV1;
  public readonly serviceAccount: ServiceAccountV1;
  public readonly configMap: ConfigMapV1;
  public readonly deployment: HardenedDeployment;
  public readonly service: Service;
  public readonly ingress?: AlbIngress;
  public readonly autoscaler?: HorizontalPodAutoscaler;
  public readonly disruptionBudget?: PodDisruptionBudget;
  /** Deny-all for the namespace, then the cart's allow-list. */
  public readonly networkPolicies: NetworkPolicy[] = [];
  /** Labels selecting the cart's pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: CartWorkloadProps) {
    super(scope, id);
    validate(props);
    const name = props.name ?? CART_WORKLOAD_NAME;
    this.selectorLabels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'service' };
    const labels = { ...this.selectorLabels, 'app.kubernetes.io/managed-by': 'cdktf' };

    if (props.createNamespace ?? true) {
      // With an Ingress, pods get the controller's readiness gate (ALB target health) through this label.
      const namespaceLabels = { ...labels, ...(props.ingress !== undefined && POD_READINESS_GATE_LABEL) };
      this.namespace = new NamespaceV1(this, 'namespace', {
        metadata: { name: props.namespace, labels: namespaceLabels },
      });
    }
    this.namespaceName = this.namespace?.metadata.name ?? props.namespace;
    const metadata = { name, namespace: this.namespaceName, labels };

    this.serviceAccount = new ServiceAccountV1(this, 'service-account', {
      metadata: {
        ...metadata,
        name: props.serviceAccountName,
        annotations: { ...props.serviceAccountAnnotations },
      },
    });
    this.configMap = new ConfigMapV1(this, 'config', {
      metadata,
      data: withShutdownTimings(props.environment),
    });
    this.deployment = new HardenedDeployment(this, 'deployment', {
      ...metadata,
      ...this.podProps(props),
    });
    this.service = new Service(this, 'service', {
      ...metadata,
      selector: this.selectorLabels,
      type: props.nodePort === undefined ? 'ClusterIP' : 'NodePort',
      ports: [{ name: 'http', port: CART_SERVICE_PORT, nodePort: props.nodePort }],
    });
    if (props.ingress !== undefined) {
      this.ingress = new AlbIngress(this, 'ingress', {
        ...metadata,
        ...props.ingress,
        backend: this.service,
        paths: CART_API_PATHS,
        healthCheckPath: HEALTH_PATHS.readiness,
        // Well below the grace period: the ALB is done with a pod before the kubelet may kill it.
        deregistrationDelaySeconds: ALB_DEREGISTRATION_DELAY_SECONDS,
      });
    }
    if (props.networkPolicy !== undefined) this.addNetworkPolicies(props.networkPolicy);
    if (props.autoscaling !== undefined) {
      this.autoscaler = new HorizontalPodAutoscaler(this, 'autoscaler', {
        ...metadata,
        ...props.autoscaling,
        target: this.deployment,
      });
    }
    if (props.podDisruptionBudget ?? true) {
      this.disruptionBudget = new PodDisruptionBudget(this, 'disruption-budget', {
        ...metadata,
        selector: this.selectorLabels,
      });
    }
  }

  private addNetworkPolicies(policy: CartNetworkPolicyProps): void {
    const namespace = this.namespaceName;
    this.networkPolicies.push(
      new NetworkPolicy(this, 'deny-all', { name: 'default-deny-all', namespace }),
      new NetworkPolicy(this, 'network-policy', {
        name: this.service.metadata.name,
        namespace,
        podLabels: this.selectorLabels,
        ingress: policy.ingress,
        egress: policy.egress,
      }),
    );
  }

  /** The cart's pod: its user, port, probes, metrics, variables and volumes. */
  private podProps(props: CartWorkloadProps): Omit<HardenedDeploymentProps, 'name' | 'namespace' | 'labels'> {
    const port = props.port ?? DEFAULT_PORT;
    return {
      selectorLabels: this.selectorLabels,
      podAnnotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(port),
        'prometheus.io/path': HEALTH_PATHS.metrics,
      },
      replicas: initialReplicas(props),
      serviceAccountName: this.serviceAccount.metadata.name,
      // Drain window + shutdown timeout + margin (the contract's invariant), so in-flight requests finish first.
      terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
      spreadAcrossZones: true,
      spreadAcrossCapacityTypes: true,
      // The image's user and group: the contract the service's Dockerfile keeps.
      runAsUser: CONTAINER_USER_ID,
      runAsGroup: CONTAINER_USER_ID,
      container: {
        image: props.image,
        imagePullPolicy: props.imagePullPolicy,
        ports: [{ name: 'http', containerPort: port }],
        envFrom: [{ configMapRef: { name: this.configMap.metadata.name } }],
        env: secretVariables(props.secretEnvironment),
        resources: props.resources ?? DEFAULT_CART_RESOURCES,
        readinessProbe: httpProbe(HEALTH_PATHS.readiness, port),
        livenessProbe: { ...httpProbe(HEALTH_PATHS.liveness, port), initialDelaySeconds: 10 },
      },
      // /tmp is the only path the service writes (the root filesystem is read-only).
      volumes: [TMP_VOLUME, ...secretsVolume(props.secretProviderClassName)],
      dependsOn: props.dependsOn,
    };
  }
}

/**
 * The drain window and shutdown timeout the grace period was computed from, written next to the caller's variables
 * (which may not override them: the pod's grace period would no longer cover them).
 */
function withShutdownTimings(environment: Readonly<Record<string, string>>): Record<string, string> {
  return {
    ...environment,
    [ENV.shutdownDrainMs]: String(DEFAULT_SHUTDOWN_DRAIN_MS),
    [ENV.shutdownTimeoutMs]: String(DEFAULT_SHUTDOWN_TIMEOUT_MS),
  };
}

/** With an HPA, start inside its range (it would clamp the count on its first sync anyway). */
function initialReplicas(props: CartWorkloadProps): number {
  const replicas = props.replicas ?? 2;
  const scaling = props.autoscaling;
  return scaling === undefined
    ? replicas
    : Math.min(Math.max(replicas, scaling.minReplicas), scaling.maxReplicas);
}

function httpProbe(path: string, port: number): DeploymentV1SpecTemplateSpecContainerReadinessProbe {
  return { httpGet: { path, port: String(port) }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 };
}

function secretVariables(secret?: SecretEnvironmentProps): DeploymentV1SpecTemplateSpecContainerEnv[] {
  return Object.entries(secret?.keys ?? {}).map(([variable, key]) => ({
    name: variable,
    valueFrom: { secretKeyRef: { name: secret?.secretName, key } },
  }));
}

/** The SecretProviderClass's objects, mounted read-only through the Secrets Store CSI driver. */
function secretsVolume(secretProviderClassName?: string): PodVolume[] {
  if (secretProviderClassName === undefined) return [];
  return [
    {
      name: 'secrets-store',
      mountPath: SECRETS_MOUNT_PATH,
      readOnly: true,
      source: {
        csi: {
          driver: SECRETS_STORE_CSI_DRIVER,
          readOnly: true,
          volumeAttributes: { secretProviderClass: secretProviderClassName },
        },
      },
    },
  ];
}

/** What only the composition can check; every construct it builds checks its own props. */
function validate(props: CartWorkloadProps): void {
  checkName('CartWorkload', 'name', props.name ?? CART_WORKLOAD_NAME);
  checkName('CartWorkload', 'namespace', props.namespace);
  checkName('CartWorkload', 'serviceAccountName', props.serviceAccountName);
  if (props.nodePort !== undefined && props.ingress !== undefined) {
    throw new Error('CartWorkload nodePort: set together with ingress; choose one way in');
  }
}
