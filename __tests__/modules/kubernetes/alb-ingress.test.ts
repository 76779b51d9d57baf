import type { Construct } from 'constructs';
import { describe, expect, test } from 'vitest';
import {
  AlbIngress,
  albIngressAnnotations,
  exposedPrivatePath,
  type AlbIngressProps,
} from '../../../modules/kubernetes/alb-ingress';
import { Service } from '../../../modules/kubernetes/service';
import { onlyResource, resourceIds, synthScope, type SynthJson } from '../../helpers/synth';

type Props = Omit<AlbIngressProps, 'backend'>;
const PROPS: Props = { name: 'web', namespace: 'shop' };

function backend(scope: Construct): Service {
  return new Service(scope, 'web-service', {
    name: 'web',
    namespace: 'shop',
    selector: { app: 'web' },
    ports: [
      { name: 'http', port: 80 },
      { name: 'admin', port: 8081 },
    ],
  });
}
function synth(props: Partial<Props> = {}): SynthJson {
  return synthScope((scope) => new AlbIngress(scope, 'web', { ...PROPS, backend: backend(scope), ...props }));
}
type Ingress = {
  metadata: { annotations: Record<string, string> };
  spec: { rule: Array<Record<string, unknown>> };
};
const ingressOf = (json: SynthJson) => onlyResource(json, 'kubernetes_ingress_v1') as unknown as Ingress;

describe('AlbIngress', () => {
  test("minimal props: class alb, internal, IP targets, HTTP on 80, every path to the Service's first port", () => {
    const json = synth();
    const serviceId = resourceIds(json, 'kubernetes_service_v1')[0];
    expect(onlyResource(json, 'kubernetes_ingress_v1')).toEqual({
      metadata: {
        name: 'web',
        namespace: 'shop',
        annotations: {
          'alb.ingress.kubernetes.io/scheme': 'internal',
          'alb.ingress.kubernetes.io/target-type': 'ip',
          'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80}]',
        },
      },
      spec: {
        ingress_class_name: 'alb',
        rule: [
          {
            http: {
              path: [
                {
                  path: '/',
                  path_type: 'Prefix',
                  backend: {
                    service: {
                      name: `\${kubernetes_service_v1.${serviceId}.metadata[0].name}`,
                      port: { number: 80 },
                    },
                  },
                },
              ],
            },
          },
        ],
      },
    });
  });

  test('certificate and hostname: HTTPS with a redirect and TLS 1.2+ policy, the host rule and an ExternalDNS record', () => {
    const ingress = ingressOf(
      synth({
        scheme: 'internet-facing',
        hostname: 'shop.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x',
      }),
    );
    expect(ingress.metadata.annotations).toEqual({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:us-east-1:123456789012:certificate/x',
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'external-dns.alpha.kubernetes.io/hostname': 'shop.example.com',
    });
    expect(ingress.spec.rule[0].host).toBe('shop.example.com');
  });

  test('paths, IngressGroup, WAF and deregistration delay', () => {
    const ingress = ingressOf(
      synth({
        paths: ['/carts', '/api'],
        groupName: 'shop',
        wafAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop/1a2b',
        deregistrationDelaySeconds: 20,
      }),
    );
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/group.name': 'shop',
      'alb.ingress.kubernetes.io/wafv2-acl-arn':
        'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop/1a2b',
      'alb.ingress.kubernetes.io/target-group-attributes': 'deregistration_delay.timeout_seconds=20',
    });
    const paths = (ingress.spec.rule[0].http as { path: { path: string; path_type: string }[] }).path;
    expect(paths.map((p) => [p.path, p.path_type])).toEqual([
      ['/carts', 'Prefix'],
      ['/api', 'Prefix'],
    ]);
  });

  test.each([
    ['/', '/actuator'],
    ['/actuator/prometheus', '/actuator'],
    ['/topology', '/topology'],
    ['/health/', '/health'],
  ])('exposedPrivatePath(%s) is %s', (path, exposed) => {
    expect(exposedPrivatePath(path)).toBe(exposed);
  });

  test.each(['/carts', '/carts/', '/healthy', '/api/actuator'])(
    'exposedPrivatePath(%s) is undefined',
    (path) => {
      expect(exposedPrivatePath(path)).toBeUndefined();
    },
  );

  test('internal, instance targets, a health-check path, another class, labels and port', () => {
    const json = synth({
      scheme: 'internal',
      targetType: 'instance',
      healthCheckPath: '/healthz',
      className: 'alb-internal',
      labels: { app: 'web' },
      backendPort: 8081,
    });
    expect(onlyResource(json, 'kubernetes_ingress_v1')).toMatchObject({
      metadata: {
        labels: { app: 'web' },
        annotations: {
          'alb.ingress.kubernetes.io/scheme': 'internal',
          'alb.ingress.kubernetes.io/target-type': 'instance',
          'alb.ingress.kubernetes.io/healthcheck-path': '/healthz',
        },
      },
      spec: {
        ingress_class_name: 'alb-internal',
        rule: [{ http: { path: [{ backend: { service: { port: { number: 8081 } } } }] } }],
      },
    });
  });

  test('albIngressAnnotations: the same annotations without an Ingress (for manifests rendered elsewhere)', () => {
    expect(albIngressAnnotations({ healthCheckPath: '/ready' })).toEqual({
      'alb.ingress.kubernetes.io/scheme': 'internal',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/healthcheck-path': '/ready',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80}]',
    });
  });

  test.each([
    ['the name is not a DNS label', { name: 'Web' }, 'AlbIngress name: "Web" must be a DNS-1123 label'],
    [
      'the certificate is not an ACM ARN',
      { certificateArn: 'arn:aws:iam::1:server-certificate/x' },
      'AlbIngress certificateArn: "arn:aws:iam::1:server-certificate/x" must be an ACM certificate ARN',
    ],
    [
      'the hostname is a URL',
      { hostname: 'https://shop.example.com' },
      'AlbIngress hostname: "https://shop.example.com" must be a lowercase DNS name',
    ],
    [
      'the backend port is not one of the Service',
      { backendPort: 8080 },
      'AlbIngress backendPort: 8080 is not a port of the backend Service (80, 8081)',
    ],
    [
      'the health-check path is relative',
      { healthCheckPath: 'healthz' },
      'AlbIngress healthCheckPath: "healthz" must start with /',
    ],
    ['a path is relative', { paths: ['carts'] }, 'AlbIngress paths: "carts" must start with /'],
    [
      'no path is given',
      { paths: [] },
      'AlbIngress paths: [] — give at least one path prefix such as /carts',
    ],
    [
      'the WAF ACL is global (CloudFront) scope',
      { wafAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/1a2b' },
      'AlbIngress wafAclArn: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/1a2b" must be a regional WAFv2 web ACL ARN',
    ],
    [
      'the deregistration delay is above an hour',
      { deregistrationDelaySeconds: 3601 },
      'AlbIngress deregistrationDelaySeconds: 3601 must be an integer in 0-3600',
    ],
    [
      'the group name is not a DNS label',
      { groupName: 'Shop' },
      'AlbIngress groupName: "Shop" must be a DNS-1123 label',
    ],
  ])('throws when %s', (_name, override, message) => {
    expect(() => synth(override as Partial<Props>)).toThrow(message);
  });
});
