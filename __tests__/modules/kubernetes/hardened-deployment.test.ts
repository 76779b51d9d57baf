import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { describe, expect, test } from 'vitest';
import {
  HardenedDeployment,
  TMP_VOLUME,
  type HardenedDeploymentProps,
} from '../../../modules/kubernetes/hardened-deployment';
import { onlyResource, synthScope, type SynthJson } from '../../helpers/synth';

const PROPS: HardenedDeploymentProps = {
  name: 'web',
  namespace: 'shop',
  labels: { app: 'web' },
  runAsUser: 1000,
  container: {
    image: 'registry.example.com/web:1.0.0',
    resources: { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '500m', memoryLimit: '128Mi' },
  },
};

function synth(props: Partial<HardenedDeploymentProps> = {}): SynthJson {
  return synthScope((scope) => new HardenedDeployment(scope, 'web', { ...PROPS, ...props }));
}
type Deployment = {
  spec: {
    strategy: unknown;
    template: {
      metadata: Record<string, unknown>;
      spec: Record<string, unknown> & { container: Array<Record<string, unknown>> };
    };
  };
  depends_on?: string[];
};
const deploymentOf = (json: SynthJson) =>
  onlyResource(json, 'kubernetes_deployment_v1') as unknown as Deployment;

describe('HardenedDeployment', () => {
  test('minimal props: one replica, zero-downtime rollout, the hardened security contexts, nothing else', () => {
    expect(onlyResource(synth(), 'kubernetes_deployment_v1')).toEqual({
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
      spec: {
        replicas: '1',
        selector: { match_labels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rolling_update: { max_unavailable: '0', max_surge: '25%' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            security_context: { fs_group: '1000', seccomp_profile: { type: 'RuntimeDefault' } },
            container: [
              {
                name: 'web',
                image: 'registry.example.com/web:1.0.0',
                image_pull_policy: 'IfNotPresent',
                resources: {
                  requests: { cpu: '100m', memory: '128Mi' },
                  limits: { cpu: '500m', memory: '128Mi' },
                },
                security_context: {
                  run_as_non_root: true,
                  run_as_user: '1000',
                  read_only_root_filesystem: true,
                  allow_privilege_escalation: false,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
          },
        },
      },
    });
  });

  test('runAsGroup: the pinned pod identity and the restated container settings', () => {
    const pod = deploymentOf(synth({ runAsGroup: 1000 })).spec.template.spec;
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
  });

  test('volumes and their mounts keep the given order; readOnly only where asked', () => {
    const pod = deploymentOf(
      synth({
        volumes: [
          { name: 'data', mountPath: '/data', source: { persistentVolumeClaim: { claimName: 'web-data' } } },
          TMP_VOLUME,
          { name: 'config', mountPath: '/etc/web', readOnly: true, source: { configMap: { name: 'web' } } },
        ],
      }),
    ).spec.template.spec;
    expect(pod.volume).toEqual([
      { name: 'data', persistent_volume_claim: { claim_name: 'web-data' } },
      { name: 'tmp', empty_dir: { medium: 'Memory', size_limit: '64Mi' } },
      { name: 'config', config_map: { name: 'web' } },
    ]);
    expect(pod.container[0].volume_mount).toEqual([
      { name: 'data', mount_path: '/data' },
      { name: 'tmp', mount_path: '/tmp' },
      { name: 'config', mount_path: '/etc/web', read_only: true },
    ]);
  });

  test('pod options: service account, grace period, annotations, zone spreading on the selector labels', () => {
    const json = synth({
      labels: { app: 'web', tier: 'front', release: 'r1' },
      selectorLabels: { app: 'web', tier: 'front' },
      podAnnotations: { 'prometheus.io/scrape': 'true' },
      serviceAccountName: 'web',
      terminationGracePeriodSeconds: 45,
      spreadAcrossZones: true,
      replicas: 3,
    });
    const deployment = onlyResource(json, 'kubernetes_deployment_v1') as {
      spec: { replicas: string; selector: unknown };
    };
    expect(deployment.spec.replicas).toBe('3');
    expect(deployment.spec.selector).toEqual({ match_labels: { app: 'web', tier: 'front' } });
    const template = deploymentOf(json).spec.template;
    expect(template.metadata).toEqual({
      labels: { app: 'web', tier: 'front', release: 'r1' },
      annotations: { 'prometheus.io/scrape': 'true' },
    });
    expect(template.spec.service_account_name).toBe('web');
    expect(template.spec.termination_grace_period_seconds).toBe(45);
    expect(template.spec.topology_spread_constraint).toEqual([
      {
        max_skew: 1,
        topology_key: 'topology.kubernetes.io/zone',
        when_unsatisfiable: 'ScheduleAnyway',
        label_selector: [{ match_labels: { app: 'web', tier: 'front' } }],
      },
    ]);
  });

  test('container options: args, named TCP ports, variables and probes as given', () => {
    const container = deploymentOf(
      synth({
        container: {
          ...PROPS.container,
          imagePullPolicy: 'Always',
          args: ['--port', '9000'],
          ports: [{ name: 'http', containerPort: 9000 }],
          envFrom: [{ configMapRef: { name: 'web' } }],
          env: [{ name: 'MODE', value: 'fast' }],
          readinessProbe: { httpGet: { path: '/ready', port: '9000' } },
          livenessProbe: { tcpSocket: [{ port: '9000' }] },
        },
      }),
    ).spec.template.spec.container[0];
    expect(container).toMatchObject({
      image_pull_policy: 'Always',
      args: ['--port', '9000'],
      port: [{ name: 'http', container_port: 9000, protocol: 'TCP' }],
      env_from: [{ config_map_ref: { name: 'web' } }],
      env: [{ name: 'MODE', value: 'fast' }],
      readiness_probe: { http_get: { path: '/ready', port: '9000' } },
      liveness_probe: { tcp_socket: [{ port: '9000' }] },
    });
  });

  test('Recreate: old pods stop before new ones start', () => {
    expect(deploymentOf(synth({ strategy: 'Recreate' })).spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('dependsOn: typed resources become depends_on addresses', () => {
    const json = synthScope((scope) => {
      const config = new ConfigMapV1(scope, 'settings', { metadata: { name: 'settings' } });
      new HardenedDeployment(scope, 'web', { ...PROPS, dependsOn: [config] });
    });
    expect(deploymentOf(json).depends_on).toEqual(['kubernetes_config_map_v1.settings']);
  });

  test('the construct is the resource: its address is the id it was given; selectorLabels is exposed', () => {
    let deployment: HardenedDeployment | undefined;
    const json = synthScope((scope) => {
      deployment = new HardenedDeployment(scope, 'web', { ...PROPS, selectorLabels: { app: 'web' } });
    });
    expect(Object.keys(json.resource?.kubernetes_deployment_v1 ?? {})).toEqual(['web']);
    expect(deployment?.selectorLabels).toEqual({ app: 'web' });
  });

  test.each([
    [
      'the name is not a DNS label',
      { name: 'Web' },
      'HardenedDeployment name: "Web" must be a DNS-1123 label',
    ],
    [
      'the namespace is not a DNS label',
      { namespace: 'my_shop' },
      'HardenedDeployment namespace: "my_shop" must be a DNS-1123 label',
    ],
    [
      'the image has a space',
      { container: { ...PROPS.container, image: 'web app:1' } },
      'HardenedDeployment container.image: "web app:1" must be an image reference',
    ],
    ['replicas is 0', { replicas: 0 }, 'HardenedDeployment replicas: 0 must be an integer >= 1'],
    ['it would run as root', { runAsUser: 0 }, 'HardenedDeployment runAsUser: 0 must be an integer >= 1'],
    [
      'the grace period is negative',
      { terminationGracePeriodSeconds: -1 },
      'HardenedDeployment terminationGracePeriodSeconds: -1 must be an integer >= 0',
    ],
    [
      'a port number is out of range',
      { container: { ...PROPS.container, ports: [{ name: 'http', containerPort: 0 }] } },
      'HardenedDeployment container.ports[http].containerPort: 0 must be an integer in 1-65535',
    ],
    [
      'a port name is too long',
      { container: { ...PROPS.container, ports: [{ name: 'a-very-long-port-name', containerPort: 80 }] } },
      'HardenedDeployment container.ports[].name: "a-very-long-port-name" must be a port name',
    ],
    [
      'a selector label is not a pod label',
      { selectorLabels: { app: 'api' } },
      'HardenedDeployment selectorLabels: app=api is not among labels',
    ],
    [
      'two volumes share a name',
      { volumes: [TMP_VOLUME, { ...TMP_VOLUME, mountPath: '/var/tmp' }] },
      'HardenedDeployment volumes: "tmp" is defined twice',
    ],
    [
      'a mount path is relative',
      { volumes: [{ ...TMP_VOLUME, mountPath: 'tmp' }] },
      'HardenedDeployment volumes[tmp].mountPath: "tmp" must be absolute',
    ],
  ])('throws when %s', (_name, override, message) => {
    expect(() => synth(override as Partial<HardenedDeploymentProps>)).toThrow(message);
  });
});
