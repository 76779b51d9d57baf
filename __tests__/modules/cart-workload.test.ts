import { describe, expect, test } from 'vitest';
import { eksCartEnvironment, localCartEnvironment } from '../../modules/cart-environment';
import { CartWorkload, type CartWorkloadProps } from '../../modules/cart-workload';
import { AlbIngress } from '../../modules/kubernetes/alb-ingress';
import { HardenedDeployment } from '../../modules/kubernetes/hardened-deployment';
import { HorizontalPodAutoscaler } from '../../modules/kubernetes/horizontal-pod-autoscaler';
import { PodDisruptionBudget } from '../../modules/kubernetes/pod-disruption-budget';
import { Service } from '../../modules/kubernetes/service';
import { onlyResource, resourceIds, resourcesOf, synthScope, type SynthJson } from '../helpers/synth';

const PROPS: CartWorkloadProps = {
  namespace: 'carts',
  serviceAccountName: 'carts',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/retail-store/cart:1.0.0',
  environment: eksCartEnvironment({ region: 'us-east-1', tableName: 'Items' }),
};

type Pod = {
  service_account_name: string;
  termination_grace_period_seconds: number;
  security_context: Record<string, unknown>;
  topology_spread_constraint: Record<string, unknown>[];
  volume: Record<string, unknown>[];
  container: Array<Record<string, unknown> & { volume_mount: unknown[]; env?: unknown[] }>;
};
type Deployment = {
  metadata: Record<string, unknown>;
  spec: {
    replicas: string;
    selector: { match_labels: Record<string, string> };
    strategy: unknown;
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: Pod;
    };
  };
  lifecycle?: { ignore_changes: string[] };
  depends_on?: string[];
};

function synth(props: Partial<CartWorkloadProps> = {}): SynthJson {
  return synthScope((scope) => new CartWorkload(scope, 'cart', { ...PROPS, ...props }));
}
function deploymentOf(json: SynthJson): Deployment {
  return onlyResource(json, 'kubernetes_deployment_v1') as unknown as Deployment;
}
const ref = (json: SynthJson, type: string, attribute: string) =>
  `\${${type}.${resourceIds(json, type)[0]}.${attribute}}`;

describe('CartWorkload', () => {
  test('minimal props: namespace, ServiceAccount, ConfigMap, Deployment, Service and a PDB; no Ingress or HPA', () => {
    const json = synth();
    expect(onlyResource(json, 'kubernetes_namespace_v1')).toMatchObject({ metadata: { name: 'carts' } });
    expect(onlyResource(json, 'kubernetes_service_account_v1')).toMatchObject({
      metadata: {
        name: 'carts',
        namespace: ref(json, 'kubernetes_namespace_v1', 'metadata[0].name'),
        annotations: {},
      },
    });
    expect(onlyResource(json, 'kubernetes_config_map_v1')).toMatchObject({
      metadata: { name: 'carts' },
      data: {
        AWS_REGION: 'us-east-1',
        RETAIL_CART_PERSISTENCE_PROVIDER: 'dynamodb',
        RETAIL_CART_PERSISTENCE_DYNAMODB_TABLE_NAME: 'Items',
        SHUTDOWN_DRAIN_MS: '10000',
        SHUTDOWN_TIMEOUT_MS: '20000',
      },
    });
    expect(resourcesOf(json, 'kubernetes_ingress_v1')).toHaveLength(0);
    // No Ingress, no ALB target health: the namespace does not ask for readiness gates.
    expect(
      (onlyResource(json, 'kubernetes_namespace_v1') as { metadata: { labels: Record<string, string> } })
        .metadata.labels['elbv2.k8s.aws/pod-readiness-gate-inject'],
    ).toBeUndefined();
    expect(resourcesOf(json, 'kubernetes_horizontal_pod_autoscaler_v2')).toHaveLength(0);
    expect(onlyResource(json, 'kubernetes_pod_disruption_budget_v1')).toMatchObject({
      spec: { min_available: '1', selector: { match_labels: { 'app.kubernetes.io/name': 'carts' } } },
    });
  });

  test('the Deployment runs as the ServiceAccount, with the ConfigMap as its environment', () => {
    const json = synth();
    const pod = deploymentOf(json).spec.template.spec;
    expect(pod.service_account_name).toBe(ref(json, 'kubernetes_service_account_v1', 'metadata[0].name'));
    expect(pod.container[0].env_from).toEqual([
      { config_map_ref: { name: ref(json, 'kubernetes_config_map_v1', 'metadata[0].name') } },
    ]);
    expect(pod.container[0].env).toEqual([]);
    expect(pod.container[0].image).toBe(PROPS.image);
  });

  test('Deployment: zero-downtime rolling update, probes, resources, Prometheus annotations, zone and capacity-type spread', () => {
    const deployment = deploymentOf(synth());
    expect(deployment.spec.replicas).toBe('2');
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rolling_update: { max_unavailable: '0', max_surge: '25%' },
    });
    expect(deployment.spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8080',
      'prometheus.io/path': '/actuator/prometheus',
    });
    const container = deployment.spec.template.spec.container[0];
    expect(container.port).toEqual([{ name: 'http', container_port: 8080, protocol: 'TCP' }]);
    expect(container.readiness_probe).toMatchObject({
      http_get: { path: '/actuator/health/readiness', port: '8080' },
    });
    expect(container.liveness_probe).toMatchObject({
      http_get: { path: '/actuator/health/liveness', port: '8080' },
    });
    expect(container.resources).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    });
    expect(deployment.spec.template.spec.topology_spread_constraint).toEqual([
      {
        max_skew: 1,
        topology_key: 'topology.kubernetes.io/zone',
        when_unsatisfiable: 'ScheduleAnyway',
        label_selector: [{ match_labels: deployment.spec.selector.match_labels }],
      },
      {
        max_skew: 1,
        topology_key: 'karpenter.sh/capacity-type',
        when_unsatisfiable: 'ScheduleAnyway',
        label_selector: [{ match_labels: deployment.spec.selector.match_labels }],
      },
    ]);
    // The contract's grace period: 10 s drain + 20 s shutdown timeout + 5 s margin.
    expect(deployment.spec.template.spec.termination_grace_period_seconds).toBe(35);
  });

  test('Deployment: the upstream security context and /tmp as a memory emptyDir', () => {
    const pod = deploymentOf(synth()).spec.template.spec;
    expect(pod.security_context).toEqual({
      run_as_non_root: true,
      run_as_user: '1000',
      run_as_group: '1000',
      fs_group: '1000',
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(pod.container[0].security_context).toEqual({
      run_as_non_root: true,
      run_as_user: '1000',
      read_only_root_filesystem: true,
      allow_privilege_escalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(pod.volume).toEqual([{ name: 'tmp', empty_dir: { medium: 'Memory', size_limit: '64Mi' } }]);
    expect(pod.container[0].volume_mount).toEqual([{ name: 'tmp', mount_path: '/tmp' }]);
  });

  test('Service carts: port 80 to the container port, ClusterIP', () => {
    const json = synth();
    expect(onlyResource(json, 'kubernetes_service_v1')).toMatchObject({
      metadata: { name: 'carts' },
      spec: {
        type: 'ClusterIP',
        selector: deploymentOf(json).spec.selector.match_labels,
        port: [{ name: 'http', port: 80, target_port: 'http', protocol: 'TCP' }],
      },
    });
  });

  test('Ingress, HTTP only: ALB class, internal, IP targets, readiness health check, only /carts routed', () => {
    const json = synth({ ingress: {} });
    const ingress = onlyResource(json, 'kubernetes_ingress_v1') as {
      metadata: { annotations: Record<string, string> };
      spec: Record<string, unknown>;
    };
    expect(ingress.metadata.annotations).toEqual({
      'alb.ingress.kubernetes.io/scheme': 'internal',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/healthcheck-path': '/actuator/health/readiness',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80}]',
      // The contract's 20 s, below the 35 s grace period.
      'alb.ingress.kubernetes.io/target-group-attributes': 'deregistration_delay.timeout_seconds=20',
    });
    expect(onlyResource(json, 'kubernetes_namespace_v1')).toMatchObject({
      metadata: { labels: { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' } },
    });
    expect(ingress.spec).toEqual({
      ingress_class_name: 'alb',
      rule: [
        {
          http: {
            path: [
              {
                path: '/carts',
                path_type: 'Prefix',
                backend: {
                  service: {
                    name: ref(json, 'kubernetes_service_v1', 'metadata[0].name'),
                    port: { number: 80 },
                  },
                },
              },
            ],
          },
        },
      ],
    });
  });

  test('Ingress with certificate and hostname: HTTPS, redirect, certificate, ExternalDNS host', () => {
    const json = synth({
      ingress: {
        hostname: 'cart.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x',
      },
    });
    const ingress = onlyResource(json, 'kubernetes_ingress_v1') as {
      metadata: { annotations: Record<string, string> };
      spec: { rule: { host: string }[] };
    };
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:us-east-1:123456789012:certificate/x',
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'external-dns.alpha.kubernetes.io/hostname': 'cart.example.com',
    });
    expect(ingress.spec.rule[0].host).toBe('cart.example.com');
  });

  test('autoscaling: an autoscaling/v2 HPA on CPU, and Terraform leaves the replica count to it', () => {
    const json = synth({ autoscaling: { minReplicas: 3, maxReplicas: 12, targetCpuPercent: 70 } });
    expect(onlyResource(json, 'kubernetes_horizontal_pod_autoscaler_v2')).toMatchObject({
      spec: {
        min_replicas: 3,
        max_replicas: 12,
        scale_target_ref: {
          api_version: 'apps/v1',
          kind: 'Deployment',
          name: ref(json, 'kubernetes_deployment_v1', 'metadata[0].name'),
        },
        metric: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', average_utilization: 70 } },
          },
        ],
      },
    });
    const deployment = deploymentOf(json);
    expect(deployment.spec.replicas).toBe('3'); // replicas 2 raised to minReplicas
    expect(
      deploymentOf(
        synth({ replicas: 5, autoscaling: { minReplicas: 1, maxReplicas: 4, targetCpuPercent: 70 } }),
      ).spec.replicas,
    ).toBe('4');
    expect(deployment.lifecycle).toEqual({ ignore_changes: ['spec[0].replicas'] });
  });

  test('IRSA annotations land on the ServiceAccount', () => {
    const json = synth({
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/cart' },
    });
    expect(onlyResource(json, 'kubernetes_service_account_v1')).toMatchObject({
      metadata: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/cart' } },
    });
  });

  test('local shape: NodePort, secretKeyRef variables, no namespace of its own, no PDB, waits for its dependencies', () => {
    const json = synthScope((scope) => {
      const dependency = new CartWorkload(scope, 'other', {
        ...PROPS,
        name: 'other',
        createNamespace: false,
      });
      new CartWorkload(scope, 'cart', {
        ...PROPS,
        createNamespace: false,
        environment: localCartEnvironment({
          region: 'us-east-1',
          tableName: 'Items',
          endpoint: 'http://dynamodb:8000',
        }),
        secretEnvironment: { secretName: 'creds', keys: { AWS_ACCESS_KEY_ID: 'id' } },
        nodePort: 30080,
        podDisruptionBudget: false,
        dependsOn: [dependency.deployment],
      });
    });
    expect(resourcesOf(json, 'kubernetes_namespace_v1')).toHaveLength(0);
    expect(resourcesOf(json, 'kubernetes_pod_disruption_budget_v1')).toHaveLength(1); // only `other`'s
    const services = resourcesOf(json, 'kubernetes_service_v1') as {
      metadata: { name: string };
      spec: Record<string, unknown>;
    }[];
    expect(services.find((s) => s.metadata.name === 'carts')?.spec).toMatchObject({
      type: 'NodePort',
      port: [{ port: 80, node_port: 30080 }],
    });
    const deployments = resourcesOf(json, 'kubernetes_deployment_v1') as unknown as Deployment[];
    const cart = deployments.find((d) => d.metadata.name === 'carts') as Deployment;
    expect(cart.spec.template.spec.container[0].env).toEqual([
      { name: 'AWS_ACCESS_KEY_ID', value_from: { secret_key_ref: { name: 'creds', key: 'id' } } },
    ]);
    expect(cart.metadata.namespace).toBe('carts');
    const otherId = resourceIds(json, 'kubernetes_deployment_v1').find((id) => id.startsWith('other_'));
    expect(cart.depends_on).toEqual([`kubernetes_deployment_v1.${otherId}`]);
  });

  test('a SecretProviderClass is mounted read-only through the Secrets Store CSI driver', () => {
    const pod = deploymentOf(synth({ secretProviderClassName: 'cart-secrets' })).spec.template.spec;
    expect(pod.volume).toContainEqual({
      name: 'secrets-store',
      csi: {
        driver: 'secrets-store.csi.k8s.io',
        read_only: true,
        volume_attributes: { secretProviderClass: 'cart-secrets' },
      },
    });
    expect(pod.container[0].volume_mount).toContainEqual({
      name: 'secrets-store',
      mount_path: '/mnt/secrets-store',
      read_only: true,
    });
  });

  test('composed of the generic constructs, each at its own address', () => {
    let workload: CartWorkload | undefined;
    const json = synthScope((scope) => {
      workload = new CartWorkload(scope, 'cart', {
        ...PROPS,
        ingress: {},
        autoscaling: { minReplicas: 2, maxReplicas: 4, targetCpuPercent: 80 },
      });
    });
    expect(workload?.deployment).toBeInstanceOf(HardenedDeployment);
    expect(workload?.service).toBeInstanceOf(Service);
    expect(workload?.ingress).toBeInstanceOf(AlbIngress);
    expect(workload?.autoscaler).toBeInstanceOf(HorizontalPodAutoscaler);
    expect(workload?.disruptionBudget).toBeInstanceOf(PodDisruptionBudget);
    expect(workload?.deployment.selectorLabels).toEqual(workload?.selectorLabels);
    expect(
      Object.fromEntries(
        Object.entries(json.resource ?? {}).map(([type, byId]) => [type, Object.keys(byId)]),
      ),
    ).toEqual({
      kubernetes_namespace_v1: ['cart_namespace_C55A0DF5'],
      kubernetes_service_account_v1: ['cart_service-account_7B9366B6'],
      kubernetes_config_map_v1: ['cart_config_C9F22B55'],
      kubernetes_deployment_v1: ['cart_deployment_34A65764'],
      kubernetes_service_v1: ['cart_service_55A3EA5A'],
      kubernetes_ingress_v1: ['cart_ingress_9E5382B1'],
      kubernetes_horizontal_pod_autoscaler_v2: ['cart_autoscaler_B42A4FA8'],
      kubernetes_pod_disruption_budget_v1: ['cart_disruption-budget_09804431'],
    });
  });

  test.each([
    ['name is not a DNS label', { name: 'Carts' }, 'CartWorkload name: "Carts" must be a DNS-1123 label'],
    [
      'namespace is not a DNS label',
      { namespace: 'Carts' },
      'CartWorkload namespace: "Carts" must be a DNS-1123 label',
    ],
    [
      'serviceAccountName is not a DNS label',
      { serviceAccountName: 'carts_sa' },
      'CartWorkload serviceAccountName: "carts_sa" must be a DNS-1123 label',
    ],
    [
      'image has a space',
      { image: 'retail store/cart:1' },
      'HardenedDeployment container.image: "retail store/cart:1" must be an image reference',
    ],
    [
      'port is out of range',
      { port: 70_000 },
      'HardenedDeployment container.ports[http].containerPort: 70000 must be an integer in 1-65535',
    ],
    ['replicas is 0', { replicas: 0 }, 'HardenedDeployment replicas: 0 must be an integer >= 1'],
    [
      'nodePort is below the range',
      { nodePort: 8080 },
      'Service ports[http].nodePort: 8080 must be an integer in 30000-32767',
    ],
    [
      'nodePort and ingress are both set',
      { nodePort: 30080, ingress: {} },
      'CartWorkload nodePort: set together with ingress',
    ],
    [
      'maxReplicas is below minReplicas',
      { autoscaling: { minReplicas: 3, maxReplicas: 2, targetCpuPercent: 80 } },
      'HorizontalPodAutoscaler maxReplicas: 2 must be an integer >= minReplicas (3)',
    ],
    [
      'the CPU target is above 100',
      { autoscaling: { minReplicas: 1, maxReplicas: 2, targetCpuPercent: 150 } },
      'HorizontalPodAutoscaler targetCpuPercent: 150 must be an integer in 1-100',
    ],
    [
      'the certificate is not an ACM ARN',
      { ingress: { certificateArn: 'arn:aws:iam::1:server-certificate/x' } },
      'AlbIngress certificateArn: "arn:aws:iam::1:server-certificate/x" must be an ACM certificate ARN',
    ],
    [
      'the hostname is not a DNS name',
      { ingress: { hostname: 'https://cart.example.com' } },
      'AlbIngress hostname: "https://cart.example.com" must be a lowercase DNS name',
    ],
  ])('throws when %s', (_name, override, message) => {
    expect(() => synth(override as Partial<CartWorkloadProps>)).toThrow(message);
  });
});
