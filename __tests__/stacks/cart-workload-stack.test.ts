import { describe, expect, test } from 'vitest';
import type { EnvironmentOverrides } from '../../stacks/config/schema';
import type { CartStack } from '../../stacks/cart-stack';
import type { CartWorkloadStack } from '../../stacks/cart-workload-stack';
import { ENV, OTEL_ENV } from '@cart-platform/service/contract';
import {
  buildTestPlatform,
  onlyResource,
  resourceIds,
  resourcesOf,
  synthStack,
  type SynthJson,
} from '../helpers/synth';

/** Synthesizes the workload stack first (it creates the cart stack's cross-stack outputs), then the cart stack. */
function synthBoth(environment = 'dev', overrides?: EnvironmentOverrides) {
  const { stacks } = buildTestPlatform(environment, overrides);
  const workload = synthStack(stacks.cartWorkload as CartWorkloadStack);
  const cart = synthStack(stacks.cart as CartStack);
  return { workload, cart, stacks };
}

/** Follows `${data.terraform_remote_state.…-cart.outputs.<name>}` to the cart stack's output expression. */
function throughRemoteState(value: unknown, cart: SynthJson): unknown {
  const match =
    /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-cart\.outputs\.([^}]+)\}$/.exec(
      String(value),
    );
  if (match === null) throw new Error(`not a cart remote-state reference: ${String(value)}`);
  return cart.output?.[match[1]]?.value;
}

type Deployment = {
  spec: {
    template: {
      spec: {
        service_account_name: string;
        container: Array<{ image: string; env: unknown[]; env_from: unknown[] }>;
        volume: Array<{ name: string }>;
      };
    };
  };
};

describe('CartWorkloadStack', () => {
  test("the association's namespace and service account are the Deployment's and the ServiceAccount's", () => {
    const { workload, cart } = synthBoth();
    const association = onlyResource(cart, 'aws_eks_pod_identity_association');
    const serviceAccount = onlyResource(workload, 'kubernetes_service_account_v1') as {
      metadata: { name: string; namespace: string };
    };
    const namespace = onlyResource(workload, 'kubernetes_namespace_v1') as { metadata: { name: string } };
    const deployment = onlyResource(workload, 'kubernetes_deployment_v1') as unknown as Deployment;
    const saId = resourceIds(workload, 'kubernetes_service_account_v1')[0];
    const nsId = resourceIds(workload, 'kubernetes_namespace_v1')[0];

    expect(serviceAccount.metadata.name).toBe(association.service_account);
    expect(deployment.spec.template.spec.service_account_name).toBe(
      `\${kubernetes_service_account_v1.${saId}.metadata[0].name}`,
    );
    expect(namespace.metadata.name).toBe(association.namespace);
    expect(serviceAccount.metadata.namespace).toBe(`\${kubernetes_namespace_v1.${nsId}.metadata[0].name}`);
  });

  test("the ConfigMap: the table resource's name, the provider's region, DynamoDB, the drain timings — nothing else", () => {
    const { workload, cart } = synthBoth();
    const data = (onlyResource(workload, 'kubernetes_config_map_v1') as { data: Record<string, string> })
      .data;
    const tableId = resourceIds(cart, 'aws_dynamodb_table')[0];
    expect(Object.keys(data).sort()).toEqual(
      [ENV.region, ENV.provider, ENV.tableName, ENV.shutdownDrainMs, ENV.shutdownTimeoutMs].sort(),
    );
    expect(data[ENV.shutdownDrainMs]).toBe('10000');
    expect(throughRemoteState(data[ENV.tableName], cart)).toBe(`\${aws_dynamodb_table.${tableId}.name}`);
    expect(data[ENV.region]).toBe((cart.provider?.aws as Array<{ region: string }>)[0].region);
    expect(data[ENV.provider]).toBe('dynamodb');
  });

  test('tracing off (dev): no OTEL_* variable, so the service sets up no exporter', () => {
    const { workload } = synthBoth();
    expect(JSON.stringify(resourcesOf(workload, 'kubernetes_config_map_v1'))).not.toContain('OTEL_');
  });

  test('tracing on (prod): OTLP/HTTP to the CloudWatch agent, service carts, 10% of new traces, the environment', () => {
    const { workload } = synthBoth('prod');
    const data = (onlyResource(workload, 'kubernetes_config_map_v1') as { data: Record<string, string> })
      .data;
    expect(Object.fromEntries(Object.entries(data).filter(([k]) => k.startsWith('OTEL_')))).toEqual({
      [OTEL_ENV.endpoint]: 'http://cloudwatch-agent.amazon-cloudwatch:4318',
      [OTEL_ENV.protocol]: 'http/protobuf',
      [OTEL_ENV.serviceName]: 'carts',
      [OTEL_ENV.resourceAttributes]: 'deployment.environment.name=prod',
      [OTEL_ENV.sampler]: 'parentbased_traceidratio',
      [OTEL_ENV.samplerArg]: '0.1',
    });
  });

  test('EKS world: no endpoint, no keys, no create-table anywhere in the pod', () => {
    const { workload } = synthBoth();
    const text =
      JSON.stringify(resourcesOf(workload, 'kubernetes_deployment_v1')) +
      JSON.stringify(resourcesOf(workload, 'kubernetes_config_map_v1'));
    for (const variable of [ENV.endpoint, ENV.accessKeyId, ENV.secretAccessKey, ENV.createTable]) {
      expect(text).not.toContain(variable);
    }
    const deployment = onlyResource(workload, 'kubernetes_deployment_v1') as unknown as Deployment;
    expect(deployment.spec.template.spec.container[0].env).toEqual([]);
    expect(resourcesOf(workload, 'kubernetes_secret_v1')).toHaveLength(0);
  });

  test('the image is the ECR repository URL with the configured tag', () => {
    const { workload, cart } = synthBoth();
    const repoId = resourceIds(cart, 'aws_ecr_repository')[0];
    const image = (onlyResource(workload, 'kubernetes_deployment_v1') as unknown as Deployment).spec.template
      .spec.container[0].image;
    const [, reference, tag] = /^(\$\{[^}]+\}):(.+)$/.exec(image) ?? [];
    expect(tag).toBe('1.0.0');
    expect(throughRemoteState(reference, cart)).toBe(`\${aws_ecr_repository.${repoId}.repository_url}`);
  });

  test('cart.imageRepository replaces the ECR repository, and there is no ECR check (nor aws provider)', () => {
    const { workload } = synthBoth('dev', {
      cart: { imageRepository: 'public.ecr.aws/aws-containers/retail-store-sample-cart', imageTag: '1.2.3' },
    });
    const image = (onlyResource(workload, 'kubernetes_deployment_v1') as unknown as Deployment).spec.template
      .spec.container[0].image;
    expect(image).toBe('public.ecr.aws/aws-containers/retail-store-sample-cart:1.2.3');
    expect(workload.data?.aws_ecr_image).toBeUndefined();
    expect(Object.keys(workload.provider ?? {})).toEqual(['kubernetes']);
  });

  test.each([
    ['dev', 'retail-dev/cart', '000000000000'],
    ['prod', 'retail-prod/cart', '123456789012'],
  ])(
    '%s: the plan reads the tag from the environment ECR repository (fails before any change if absent)',
    (env, repo, account) => {
      const { workload } = synthBoth(env, { cart: { imageTag: '3f2a9c1' }, account: { id: account } });
      expect(workload.data?.aws_ecr_image).toEqual({
        'cart-image_BCC84BD4': { repository_name: repo, image_tag: '3f2a9c1' },
      });
      const [aws] = workload.provider?.aws as Array<Record<string, unknown>>;
      expect([aws.region, aws.allowed_account_ids]).toEqual(['us-east-1', [account]]);
    },
  );

  test('the emulator: the ECR read goes to the emulator endpoint with dummy keys', () => {
    const { workload } = synthBoth('dev', { awsEndpoint: 'http://127.0.0.1:5000' });
    const [aws] = workload.provider?.aws as Array<Record<string, unknown>>;
    expect([aws.access_key, (aws.endpoints as Array<Record<string, string>>)[0].ecr]).toEqual([
      'emulator',
      'http://127.0.0.1:5000',
    ]);
  });

  test('Kubernetes provider with exec (aws eks get-token); the aws provider only reads the image; no Helm', () => {
    const { workload } = synthBoth();
    const [kubernetes] = workload.provider?.kubernetes as Array<{
      exec: Array<{ command: string; args: string[] }>;
    }>;
    expect(kubernetes.exec[0].command).toBe('aws');
    expect(kubernetes.exec[0].args.slice(0, 2)).toEqual(['eks', 'get-token']);
    expect(Object.keys(workload.provider ?? {}).sort()).toEqual(['aws', 'kubernetes']);
    expect(Object.keys(workload.terraform?.required_providers ?? {}).sort()).toEqual(['aws', 'kubernetes']);
    expect(Object.keys(workload.resource ?? {}).filter((type) => type.startsWith('aws_'))).toEqual([]);
    expect(Object.keys(workload.data ?? {}).filter((type) => type.startsWith('aws_'))).toEqual([
      'aws_ecr_image',
    ]);
    expect(workload.data?.aws_eks_cluster_auth).toBeUndefined();
    expect(Object.keys(workload.data?.terraform_remote_state ?? {}).sort()).toEqual([
      'cross-stack-reference-input-cart',
      'cross-stack-reference-input-cluster',
    ]);
  });

  test.each(['dev', 'prod'])('%s: no Ingress (exposure off), a port-forward hint instead', (environment) => {
    const { workload } = synthBoth(environment);
    expect(resourcesOf(workload, 'kubernetes_ingress_v1')).toEqual([]);
    expect(workload.output?.['port-forward-command']?.value).toBe(
      'kubectl -n carts port-forward service/carts 8080:80',
    );
    expect(workload.output?.['ingress-hostname-command']).toBeUndefined();
  });

  test('NetworkPolicy: the namespace denies all; the cart admits the UI (and the VPC CIDR only when exposed)', () => {
    type Policy = { metadata: { name: string }; spec: { ingress: { from: unknown[] }[]; egress: unknown[] } };
    const policies = (json: SynthJson) =>
      Object.fromEntries(
        (resourcesOf(json, 'kubernetes_network_policy_v1') as Policy[]).map((p) => [p.metadata.name, p.spec]),
      );
    const off = policies(synthBoth('dev').workload);
    expect(Object.keys(off)).toHaveLength(2);
    expect(off['default-deny-all']).toMatchObject({ ingress: [], egress: [] });
    const cart = Object.entries(off).find(([name]) => name !== 'default-deny-all')?.[1] as Policy['spec'];
    expect(cart.ingress.map((r) => r.from)).toEqual([
      [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'ui' } } }],
      // dev runs the CloudWatch agent, which scrapes the cart's metrics.
      [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'amazon-cloudwatch' } } }],
    ]);
    expect(cart.egress).toHaveLength(3);
    const exposed = policies(
      synthBoth('dev', {
        cart: { exposure: 'internal', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
      }).workload,
    );
    const exposedCart = Object.entries(exposed).find(
      ([name]) => name !== 'default-deny-all',
    )?.[1] as Policy['spec'];
    expect(exposedCart.ingress[1].from).toEqual([{ ip_block: { cidr: '10.0.0.0/16', except: [] } }]);
  });

  describe('NetworkPolicy: the CloudWatch agent passes only where its feature is on', () => {
    type Rule = { from?: unknown[]; to?: unknown[]; ports: { port: string; protocol: string }[] };
    const cartPolicy = (environment: string, overrides?: EnvironmentOverrides) => {
      const all = resourcesOf(synthBoth(environment, overrides).workload, 'kubernetes_network_policy_v1') as {
        metadata: { name: string; annotations: Record<string, string> };
        spec: { ingress: Rule[]; egress: Rule[] };
      }[];
      const policy = all.find((p) => p.metadata.name !== 'default-deny-all');
      if (policy === undefined) throw new Error('no cart NetworkPolicy');
      return policy;
    };
    const agentPods = [
      { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'amazon-cloudwatch' } } },
    ];
    const fromAgent = (rules: Rule[]) =>
      rules.filter((r) => JSON.stringify(r.from) === JSON.stringify(agentPods));
    const toAgent = (rules: Rule[]) =>
      rules.filter((r) => JSON.stringify(r.to) === JSON.stringify(agentPods));

    test('dev (agent on, tracing off): the agent scrapes 8080; no egress to it', () => {
      const { spec } = cartPolicy('dev');
      expect(fromAgent(spec.ingress)).toEqual([
        { from: agentPods, ports: [{ port: '8080', protocol: 'TCP' }] },
      ]);
      expect(toAgent(spec.egress)).toEqual([]);
    });

    test('prod (tracing on): spans to the agent on 4318/TCP, the reason annotated', () => {
      const policy = cartPolicy('prod');
      expect(toAgent(policy.spec.egress)).toEqual([
        { to: agentPods, ports: [{ port: '4318', protocol: 'TCP' }] },
      ]);
      expect(policy.metadata.annotations['network-policy.cart-platform/egress-3']).toBe(
        'traces (OTLP/HTTP) to the collector in amazon-cloudwatch',
      );
    });

    test('agent off: neither the scrape nor the traces rule', () => {
      const { spec } = cartPolicy('dev', { addons: { cloudwatchObservability: { enabled: false } } });
      expect(fromAgent(spec.ingress)).toEqual([]);
      expect(toAgent(spec.egress)).toEqual([]);
    });
  });

  test('dev: the HPA and PDB from config, the upstream Service', () => {
    const { workload } = synthBoth();
    expect(onlyResource(workload, 'kubernetes_horizontal_pod_autoscaler_v2')).toMatchObject({
      spec: {
        min_replicas: 2,
        max_replicas: 10,
        metric: [{ resource: { target: { average_utilization: 80 } } }],
      },
    });
    expect(onlyResource(workload, 'kubernetes_pod_disruption_budget_v1')).toMatchObject({
      spec: { min_available: '1' },
    });
    expect(onlyResource(workload, 'kubernetes_service_v1')).toMatchObject({
      metadata: { name: 'carts' },
      spec: { port: [{ port: 80, target_port: 'http' }] },
    });
  });

  test('internet-facing with a certificate ARN: HTTPS with redirect, TLS policy, WAF, group and a DNS record', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
    const wafAclArn = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop/1a2b';
    const { workload, cart } = synthBoth('dev', {
      cart: {
        exposure: 'internet-facing',
        hostname: 'cart.example.com',
        certificateArn,
        wafAclArn,
        ingressGroupName: 'shop',
      },
      addons: { externalDns: { hostedZoneIds: ['Z0123456789ABCDEFGHIJ'], domainFilters: ['example.com'] } },
    });
    expect(resourcesOf(cart, 'aws_acm_certificate')).toEqual([]);
    expect(onlyResource(workload, 'kubernetes_ingress_v1')).toMatchObject({
      metadata: {
        annotations: {
          'alb.ingress.kubernetes.io/scheme': 'internet-facing',
          'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
          'alb.ingress.kubernetes.io/wafv2-acl-arn': wafAclArn,
          'alb.ingress.kubernetes.io/group.name': 'shop',
          'alb.ingress.kubernetes.io/target-group-attributes': 'deregistration_delay.timeout_seconds=20',
          'alb.ingress.kubernetes.io/certificate-arn': certificateArn,
          'alb.ingress.kubernetes.io/ssl-redirect': '443',
          'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
          'external-dns.alpha.kubernetes.io/hostname': 'cart.example.com',
        },
      },
      spec: { rule: [{ host: 'cart.example.com', http: { path: [{ path: '/carts' }] } }] },
    });
  });

  test('internal with a hostname and zone: the cart stack validates a certificate in the zone, the Ingress uses it', () => {
    const { workload, cart } = synthBoth('dev', {
      cart: { exposure: 'internal', hostname: 'cart.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
      addons: { externalDns: { hostedZoneIds: ['Z0123456789ABCDEFGHIJ'], domainFilters: ['example.com'] } },
    });
    expect(onlyResource(cart, 'aws_acm_certificate')).toMatchObject({
      domain_name: 'cart.example.com',
      validation_method: 'DNS',
    });
    expect(onlyResource(cart, 'aws_route53_record')).toMatchObject({
      zone_id: 'Z0123456789ABCDEFGHIJ',
      ttl: 60,
    });
    const validationId = resourceIds(cart, 'aws_acm_certificate_validation')[0];
    const annotations = (
      onlyResource(workload, 'kubernetes_ingress_v1') as { metadata: { annotations: Record<string, string> } }
    ).metadata.annotations;
    expect(annotations['alb.ingress.kubernetes.io/scheme']).toBe('internal');
    expect(throughRemoteState(annotations['alb.ingress.kubernetes.io/certificate-arn'], cart)).toBe(
      `\${aws_acm_certificate_validation.${validationId}.certificate_arn}`,
    );
  });

  test('irsa: the ServiceAccount carries the role ARN from the cart stack; no association', () => {
    const { workload, cart } = synthBoth('dev', { cart: { identity: 'irsa' } });
    const roleId = resourceIds(cart, 'aws_iam_role')[0];
    const annotations = (
      onlyResource(workload, 'kubernetes_service_account_v1') as {
        metadata: { annotations: Record<string, string> };
      }
    ).metadata.annotations;
    expect(Object.keys(annotations)).toEqual(['eks.amazonaws.com/role-arn']);
    expect(throughRemoteState(annotations['eks.amazonaws.com/role-arn'], cart)).toBe(
      `\${aws_iam_role.${roleId}.arn}`,
    );
    expect(resourcesOf(cart, 'aws_eks_pod_identity_association')).toHaveLength(0);
  });

  test('pod identity: the ServiceAccount has no annotations', () => {
    const { workload } = synthBoth();
    expect(onlyResource(workload, 'kubernetes_service_account_v1')).toMatchObject({
      metadata: { annotations: {} },
    });
  });

  test('prod: replicas and autoscaling from the prod config', () => {
    const { workload } = synthBoth('prod');
    expect(onlyResource(workload, 'kubernetes_horizontal_pod_autoscaler_v2')).toMatchObject({
      spec: {
        min_replicas: 3,
        max_replicas: 20,
        metric: [{ resource: { target: { average_utilization: 70 } } }],
      },
    });
    expect(onlyResource(workload, 'kubernetes_deployment_v1')).toMatchObject({
      spec: { replicas: '3' },
      lifecycle: { ignore_changes: ['spec[0].replicas'] },
    });
    expect(onlyResource(workload, 'kubernetes_config_map_v1')).toMatchObject({
      data: { AWS_REGION: 'us-east-1' },
    });
  });

  test('cart.secrets: a SecretProviderClass under Pod Identity, mounted through the CSI driver, created first', () => {
    const { workload } = synthBoth('dev', { cart: { secrets: ['retail/cart/api'] } });
    const manifestId = resourceIds(workload, 'kubernetes_manifest')[0];
    const nsId = resourceIds(workload, 'kubernetes_namespace_v1')[0];
    expect(onlyResource(workload, 'kubernetes_manifest').manifest).toEqual({
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: 'carts-secrets', namespace: `\${kubernetes_namespace_v1.${nsId}.metadata[0].name}` },
      spec: {
        provider: 'aws',
        parameters: {
          objects:
            '- objectName: "retail/cart/api"\n  objectType: "secretsmanager"\n  objectAlias: "retail_cart_api"\n',
          usePodIdentity: 'true',
          region: 'us-east-1',
        },
      },
    });
    const deployment = onlyResource(workload, 'kubernetes_deployment_v1') as unknown as Deployment & {
      depends_on: string[];
    };
    expect(deployment.spec.template.spec.volume).toContainEqual({
      name: 'secrets-store',
      csi: {
        driver: 'secrets-store.csi.k8s.io',
        read_only: true,
        volume_attributes: { secretProviderClass: 'carts-secrets' },
      },
    });
    expect(deployment.depends_on).toEqual([`kubernetes_manifest.${manifestId}`]);
  });

  test('cart.secrets with cart.identity irsa: the SecretProviderClass fetches with IRSA (usePodIdentity "false")', () => {
    const { workload } = synthBoth('dev', { cart: { identity: 'irsa', secrets: ['retail/cart/api'] } });
    const manifest = onlyResource(workload, 'kubernetes_manifest').manifest as {
      spec: { parameters: Record<string, string> };
    };
    expect(manifest.spec.parameters.usePodIdentity).toBe('false');
  });

  test('no secrets: no SecretProviderClass and no CSI volume', () => {
    const { workload } = synthBoth();
    expect(resourcesOf(workload, 'kubernetes_manifest')).toHaveLength(0);
    const deployment = onlyResource(workload, 'kubernetes_deployment_v1') as unknown as Deployment;
    expect(deployment.spec.template.spec.volume.map((v) => v.name)).toEqual(['tmp']);
  });

  test('deploys after platform (the Load Balancer Controller webhooks), as a stack dependency only', () => {
    const { stacks } = synthBoth();
    expect(stacks.cartWorkload?.dependencies).toContain(stacks.clusterAddons);
  });

  test('state in S3 under the stack id', () => {
    const { workload } = synthBoth();
    expect((workload.terraform?.backend as { s3: { key: string } }).s3.key).toBe('dev/cart-workload.tfstate');
  });

  test.each([
    ['the image tag is not a Docker tag', { cart: { imageTag: 'v 1' } }, 'cart.imageTag: "v 1"'],
    [
      'autoscaling has min above max',
      { cart: { autoscaling: { minReplicas: 5, maxReplicas: 2 } } },
      'cart.autoscaling.minReplicas: 5 — must be <= maxReplicas (2)',
    ],
    [
      'the service account is not a DNS label',
      { cart: { serviceAccount: 'Carts_SA' } },
      'cart.serviceAccount: "Carts_SA"',
    ],
  ])('throws when %s', (_name, overrides, message) => {
    expect(() => buildTestPlatform('dev', overrides as EnvironmentOverrides)).toThrow(message);
  });
});
