import { Testing } from 'cdktf';
import { describe, expect, test } from 'vitest';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { camelCase, kubernetesObjects, typedResourceToObject } from './kubernetes-objects';
import { validateKubernetesObject } from './kubernetes-schema';

type Json = { resource: Record<string, Record<string, Record<string, unknown>>> };

function only(json: Json, type: string): Record<string, unknown> {
  return Object.values(json.resource[type])[0];
}

describe('typed resources → Kubernetes objects', () => {
  test('minimal props: a Deployment as the provider would send it', () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new DeploymentV1(scope, 'deployment', {
          metadata: {
            name: 'carts',
            namespace: 'carts',
            labels: { 'app.kubernetes.io/name': 'carts', my_label: 'x' },
          },
          spec: {
            replicas: '2',
            selector: { matchLabels: { 'app.kubernetes.io/name': 'carts' } },
            strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '0' } },
            template: {
              metadata: { labels: { 'app.kubernetes.io/name': 'carts' } },
              spec: {
                securityContext: { runAsUser: '1000', fsGroup: '1000' },
                container: [
                  {
                    name: 'carts',
                    image: '${aws_ecr_repository.repo.repository_url}:1.0.0',
                    port: [{ containerPort: 8080, name: 'http' }],
                    env: [{ name: 'PORT', value: '8080' }],
                    readinessProbe: { httpGet: { path: '/ready', port: '8080' } },
                    volumeMount: [{ name: 'tmp', mountPath: '/tmp' }],
                  },
                ],
                volume: [
                  { name: 'tmp', emptyDir: { medium: 'Memory' } },
                  { name: 'config', configMap: { name: 'c', defaultMode: '0644' } },
                ],
                topologySpreadConstraint: [
                  {
                    maxSkew: 1,
                    topologyKey: 'topology.kubernetes.io/zone',
                    whenUnsatisfiable: 'ScheduleAnyway',
                    labelSelector: [{ matchLabels: { app: 'carts' } }],
                  },
                ],
              },
            },
          },
        });
      }),
    ) as Json;
    expect(typedResourceToObject('kubernetes_deployment_v1', only(json, 'kubernetes_deployment_v1'))).toEqual(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: 'carts',
          namespace: 'carts',
          labels: { 'app.kubernetes.io/name': 'carts', my_label: 'x' },
        },
        spec: {
          replicas: 2,
          selector: { matchLabels: { 'app.kubernetes.io/name': 'carts' } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': 'carts' } },
            spec: {
              securityContext: { runAsUser: 1000, fsGroup: 1000 },
              containers: [
                {
                  name: 'carts',
                  image: '${aws_ecr_repository.repo.repository_url}:1.0.0',
                  ports: [{ containerPort: 8080, name: 'http' }],
                  env: [{ name: 'PORT', value: '8080' }],
                  readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
                  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                },
              ],
              volumes: [
                { name: 'tmp', emptyDir: { medium: 'Memory' } },
                { name: 'config', configMap: { name: 'c', defaultMode: 0o644 } },
              ],
              topologySpreadConstraints: [
                {
                  maxSkew: 1,
                  topologyKey: 'topology.kubernetes.io/zone',
                  whenUnsatisfiable: 'ScheduleAnyway',
                  labelSelector: { matchLabels: { app: 'carts' } },
                },
              ],
            },
          },
        },
      },
    );
  });

  test('a Service keeps its selector keys; a ServiceAccount lists its image pull secrets', () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new ServiceV1(scope, 'service', {
          metadata: { name: 'carts' },
          spec: { selector: { app_name: 'carts' }, port: [{ port: 80, targetPort: '8080' }] },
        });
        new ServiceAccountV1(scope, 'sa', {
          metadata: { name: 'carts' },
          imagePullSecret: [{ name: 'registry' }],
          automountServiceAccountToken: false,
        });
      }),
    ) as Json;
    expect(typedResourceToObject('kubernetes_service_v1', only(json, 'kubernetes_service_v1'))).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'carts' },
      spec: { selector: { app_name: 'carts' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    expect(
      typedResourceToObject('kubernetes_service_account_v1', only(json, 'kubernetes_service_account_v1')),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'carts' },
      imagePullSecrets: [{ name: 'registry' }],
      automountServiceAccountToken: false,
    });
  });

  test("a Secret's data is base64 in the API object (the provider encodes it); a tcpSocket probe is one object", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new SecretV1(scope, 'secret', { metadata: { name: 'keys' }, data: { KEY: 'dummy' } });
        new DeploymentV1(scope, 'deployment', {
          metadata: { name: 'db' },
          spec: {
            selector: { matchLabels: { app: 'db' } },
            template: {
              metadata: { labels: { app: 'db' } },
              spec: {
                container: [{ name: 'db', image: 'db:1', readinessProbe: { tcpSocket: [{ port: '8000' }] } }],
              },
            },
          },
        });
      }),
    ) as Json;
    expect(typedResourceToObject('kubernetes_secret_v1', only(json, 'kubernetes_secret_v1'))).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'keys' },
      data: { KEY: 'ZHVtbXk=' },
    });
    const deployment = typedResourceToObject(
      'kubernetes_deployment_v1',
      only(json, 'kubernetes_deployment_v1'),
    );
    const container = (deployment.spec as { template: { spec: { containers: Record<string, unknown>[] } } })
      .template.spec.containers[0];
    expect(container.readinessProbe).toEqual({ tcpSocket: { port: 8000 } });
  });

  test('kubernetes_manifest is taken as is; patches and unknown types are told apart', () => {
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm' }, data: { a_b: 'c' } };
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new Manifest(scope, 'manifest', { manifest });
      }),
    ) as Json;
    expect(kubernetesObjects(json).objects.map((o) => o.object)).toEqual([manifest]);
    expect(
      kubernetesObjects({
        resource: {
          kubernetes_annotations: {
            gp2: {
              api_version: 'storage.k8s.io/v1',
              kind: 'StorageClass',
              metadata: { name: 'gp2' },
              annotations: { a: 'b' },
            },
          },
          kubernetes_env: { e: {} },
        },
      }),
    ).toEqual({
      objects: [],
      patches: [
        {
          address: 'kubernetes_annotations.gp2',
          patch: {
            apiVersion: 'storage.k8s.io/v1',
            kind: 'StorageClass',
            metadata: { name: 'gp2', annotations: { a: 'b' } },
          },
        },
      ],
      unchecked: ['kubernetes_env.e'],
    });
    expect(() => kubernetesObjects({ resource: { kubernetes_widget_v1: { w: {} } } })).toThrow(
      'no conversion for kubernetes_widget_v1',
    );
  });

  test.each([
    ['run_as_user', 'runAsUser'],
    ['allow_privilege_escalation', 'allowPrivilegeEscalation'],
    ['ipv4', 'ipv4'],
  ])('camelCase(%s) = %s', (name, expected) => {
    expect(camelCase(name)).toBe(expected);
  });
});

describe('schema validation', () => {
  const deployment = () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'carts', labels: { 'app.kubernetes.io/name': 'carts' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'carts' } },
      template: {
        metadata: { labels: { app: 'carts' } },
        spec: { containers: [{ name: 'carts', image: 'cart:1', ports: [{ containerPort: 8080 }] }] },
      },
    },
  });

  test('a valid Deployment has no problems', async () => {
    expect(await validateKubernetesObject(deployment())).toEqual({ schemaFound: true, problems: [] });
  });

  test.each<[string, (d: ReturnType<typeof deployment>) => void, { path: string; message: string }]>([
    [
      'a misspelt field',
      (d) => Object.assign(d.spec, { replica: 2 }),
      { path: '/spec/replica', message: 'is not a field of this kind' },
    ],
    [
      'a field at the wrong level',
      (d) => Object.assign(d.spec.template.spec.containers[0], { containerPort: 8080 }),
      { path: '/spec/template/spec/containers/0/containerPort', message: 'is not a field of this kind' },
    ],
    [
      'a missing required field',
      (d) => delete (d.spec.template.spec.containers[0] as { name?: string }).name,
      {
        path: '/spec/template/spec/containers/0',
        message: 'must have required property name {"missingProperty":"name"}',
      },
    ],
    [
      'a wrong type',
      (d) => Object.assign(d.spec, { replicas: '2' }),
      { path: '/spec/replicas', message: 'must be integer {"type":"integer"}' },
    ],
  ])('throws when … reports %s', async (_label, mutate, problem) => {
    const object = deployment();
    mutate(object);
    const result = await validateKubernetesObject(object);
    expect(result.problems).toContainEqual(problem);
  });

  test('a kind with no schema at all is reported as such', async () => {
    const result = await validateKubernetesObject({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
    });
    expect(result).toEqual({ schemaFound: false, problems: [] });
  });

  test('a SecretProviderClass is checked against the CRD’s shape', async () => {
    const spc = (spec: Record<string, unknown>) => ({
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: 's', namespace: 'carts' },
      spec,
    });
    const good = spc({
      provider: 'aws',
      parameters: { objects: '- objectName: x', usePodIdentity: 'true' },
      secretObjects: [{ secretName: 'api', type: 'Opaque', data: [{ objectName: 'x', key: 'API_KEY' }] }],
    });
    expect(await validateKubernetesObject(good)).toEqual({ schemaFound: true, problems: [] });
    const bad = spc({
      provider: 'aws',
      parameters: { usePodIdentity: true },
      secretObject: [],
      secretObjects: [{ secretName: 'api', data: [{ objectname: 'x', key: 'K' }] }],
    });
    expect((await validateKubernetesObject(bad)).problems).toEqual([
      { path: '/spec/parameters/usePodIdentity', message: 'must be string' },
      { path: '/spec/secretObject', message: 'is not a field of this kind' },
      { path: '/spec/secretObjects/0/data/0/objectname', message: 'is not a field of this kind' },
    ]);
  });

  test('labels are a map: their keys are not fields', async () => {
    const object = deployment();
    object.metadata.labels = { 'anything.example.com/at_all': 'x' } as never;
    expect((await validateKubernetesObject(object)).problems).toEqual([]);
  });
});
