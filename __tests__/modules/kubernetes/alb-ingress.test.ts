import type { Construct } from 'constructs';
import { describe, expect, test } from 'vitest';
import {
  AlbIngress,
  albIngressAnnotations,
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
  test("minimal props: class alb, internet-facing, IP targets, HTTP on 80, every path to the Service's first port", () => {
    const json = synth();
    const serviceId = resourceIds(json, 'kubernetes_service_v1')[0];
    expect(onlyResource(json, 'kubernetes_ingress_v1')).toEqual({
      metadata: {
        name: 'web',
        namespace: 'shop',
        annotations: {
          'alb.ingress.kubernetes.io/scheme': 'internet-facing',
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

  test('certificate and hostname: HTTPS with a redirect, the host rule and an ExternalDNS record', () => {
    const ingress = ingressOf(
      synth({
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
      'external-dns.alpha.kubernetes.io/hostname': 'shop.example.com',
    });
    expect(ingress.spec.rule[0].host).toBe('shop.example.com');
  });

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
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
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
  ])('throws when %s', (_name, override, message) => {
    expect(() => synth(override as Partial<Props>)).toThrow(message);
  });
});
