import { describe, expect, test } from 'vitest';
import { NetworkPolicy, type NetworkPolicyProps } from '../../../modules/kubernetes/network-policy';
import { cartIngress, eksCartEgress } from '../../../modules/cart-network-rules';
import { onlyResource, synthScope } from '../../helpers/synth';

const PROPS: NetworkPolicyProps = { name: 'carts', namespace: 'carts' };
const synth = (props: Partial<NetworkPolicyProps> = {}) =>
  onlyResource(
    synthScope((scope) => new NetworkPolicy(scope, 'policy', { ...PROPS, ...props })),
    'kubernetes_network_policy_v1',
  );

describe('NetworkPolicy', () => {
  test('no rules: every pod of the namespace, both directions, nothing allowed', () => {
    expect(synth()).toEqual({
      metadata: { name: 'carts', namespace: 'carts', annotations: {} },
      spec: {
        pod_selector: { match_labels: {} },
        policy_types: ['Ingress', 'Egress'],
        ingress: [],
        egress: [],
      },
    });
  });

  test("the cart's EKS allow-list: clients and ALB on 8080; DNS, Pod Identity agent, 443 except IMDS", () => {
    const policy = synth({
      podLabels: { app: 'carts' },
      ingress: cartIngress({ port: 8080, clientNamespaces: ['ui'], loadBalancerCidrs: ['10.1.0.0/16'] }),
      egress: eksCartEgress(),
    }) as { spec: Record<string, unknown> };
    expect(policy.spec.ingress).toEqual([
      {
        from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'ui' } } }],
        ports: [{ port: '8080', protocol: 'TCP' }],
      },
      {
        from: [{ ip_block: { cidr: '10.1.0.0/16', except: [] } }],
        ports: [{ port: '8080', protocol: 'TCP' }],
      },
    ]);
    expect(policy.spec.egress).toEqual([
      {
        to: [
          {
            namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            pod_selector: { match_labels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { port: '53', protocol: 'UDP' },
          { port: '53', protocol: 'TCP' },
        ],
      },
      {
        to: [
          { ip_block: { cidr: '169.254.170.23/32', except: [] } },
          { ip_block: { cidr: 'fd00:ec2::23/128', except: [] } },
        ],
        ports: [{ port: '80', protocol: 'TCP' }],
      },
      {
        to: [{ ip_block: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }],
        ports: [{ port: '443', protocol: 'TCP' }],
      },
    ]);
  });

  test('a metrics scraper namespace may reach the port; a trace collector is reachable on its port', () => {
    expect(
      cartIngress({ port: 8080, clientNamespaces: [], metricsScraperNamespaces: ['amazon-cloudwatch'] }),
    ).toEqual([
      {
        reason: 'Prometheus scrapes of /actuator/prometheus from amazon-cloudwatch',
        peers: [{ namespace: 'amazon-cloudwatch' }],
        ports: [{ port: 8080 }],
      },
    ]);
    expect(eksCartEgress({ traceCollector: { namespace: 'amazon-cloudwatch', port: 4318 } }).at(-1)).toEqual({
      reason: 'traces (OTLP/HTTP) to the collector in amazon-cloudwatch',
      peers: [{ namespace: 'amazon-cloudwatch' }],
      ports: [{ port: 4318 }],
    });
    expect(eksCartEgress()).toHaveLength(3);
  });

  test('without an Ingress or clients, no ingress rule at all', () => {
    expect(cartIngress({ port: 8080, clientNamespaces: [] })).toEqual([]);
  });

  test.each([
    [
      'a rule has no peers',
      { ingress: [{ reason: 'x', peers: [], ports: [{ port: 80 }] }] },
      'NetworkPolicy ingress[0].peers: [] would allow every peer; list them',
    ],
    [
      'a port is out of range',
      { egress: [{ reason: 'x', peers: [{ cidr: '10.0.0.0/8' }], ports: [{ port: 0 }] }] },
      'NetworkPolicy egress[0].ports[0].port: 0 must be an integer in 1-65535',
    ],
    [
      'a peer mixes a CIDR and a namespace',
      { egress: [{ reason: 'x', peers: [{ cidr: '10.0.0.0/8', namespace: 'ui' }], ports: [{ port: 80 }] }] },
      'NetworkPolicy egress[0].peers[0]: cidr "10.0.0.0/8" set with namespace or podLabels; choose one',
    ],
    [
      'the namespace is not a label',
      { namespace: 'Carts' },
      'NetworkPolicy namespace: "Carts" must be a DNS-1123 label',
    ],
  ])('throws when %s', (_what, props, message) => {
    expect(() => synth(props as Partial<NetworkPolicyProps>)).toThrow(message);
  });
});
