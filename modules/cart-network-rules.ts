/**
 * The flows the cart's pods need, as NetworkPolicy rules: every other flow in and out of the cart namespace is
 * denied. On EKS the VPC CNI's network policy agent enforces them; K3s enforces the local world's.
 */
import type { NetworkRule } from './kubernetes/network-policy';

/** A collector the cart sends traces to (OTLP/HTTP): its pods' namespace and port. */
export interface TraceCollector {
  readonly namespace: string;
  readonly port: number;
}

/** The node's instance metadata service: never reachable from the cart (the node role lives there). */
export const INSTANCE_METADATA_CIDR = '169.254.169.254/32';
/** The EKS Pod Identity agent's link-local addresses (IPv4 and IPv6) and port. */
export const POD_IDENTITY_AGENT = { ipv4: '169.254.170.23/32', ipv6: 'fd00:ec2::23/128', port: 80 } as const;

/** Cluster DNS: CoreDNS (`k8s-app: kube-dns`) in kube-system, UDP and TCP 53. */
export const CLUSTER_DNS_RULE: NetworkRule = {
  reason: 'cluster DNS: resolving the DynamoDB and STS endpoints and Services',
  peers: [{ namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }],
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
};

/**
 * What the cart calls on EKS. DynamoDB (and STS, for IRSA) is any address on 443: a NetworkPolicy takes CIDRs, not
 * the AWS prefix list of the regional endpoint (whose addresses change), so the rule opens 443 everywhere but the
 * metadata service; the gateway endpoint keeps the traffic in the VPC.
 */
export function eksCartEgress(options: { readonly traceCollector?: TraceCollector } = {}): NetworkRule[] {
  const collector = options.traceCollector;
  return [
    CLUSTER_DNS_RULE,
    {
      reason: 'EKS Pod Identity agent: without it the SDK gets no credentials',
      peers: [{ cidr: POD_IDENTITY_AGENT.ipv4 }, { cidr: POD_IDENTITY_AGENT.ipv6 }],
      ports: [{ port: POD_IDENTITY_AGENT.port }],
    },
    {
      reason: 'DynamoDB (and STS for IRSA) over HTTPS; never the node metadata service',
      peers: [{ cidr: '0.0.0.0/0', except: [INSTANCE_METADATA_CIDR] }],
      ports: [{ port: 443 }],
    },
    // The Service's ClusterIP is translated to a pod address before the policy applies: allow the pods.
    ...(collector === undefined
      ? []
      : [
          {
            reason: `traces (OTLP/HTTP) to the collector in ${collector.namespace}`,
            peers: [{ namespace: collector.namespace }],
            ports: [{ port: collector.port }],
          },
        ]),
  ];
}

/** Who may call the cart on its container port: client namespaces, and the ALB's addresses when exposed. */
export function cartIngress(props: {
  readonly port: number;
  readonly clientNamespaces: readonly string[];
  readonly loadBalancerCidrs?: readonly string[];
  /** Namespaces whose pods scrape the cart's Prometheus endpoint (on the container port). */
  readonly metricsScraperNamespaces?: readonly string[];
}): NetworkRule[] {
  const rules: NetworkRule[] = [];
  if (props.clientNamespaces.length > 0) {
    rules.push({
      reason: `clients: ${props.clientNamespaces.join(', ')} call carts.<namespace>:80`,
      peers: props.clientNamespaces.map((namespace) => ({ namespace })),
      ports: [{ port: props.port }],
    });
  }
  if (props.loadBalancerCidrs !== undefined && props.loadBalancerCidrs.length > 0) {
    rules.push({
      reason: 'the ALB (IP targets): its nodes have addresses of the VPC subnets',
      peers: props.loadBalancerCidrs.map((cidr) => ({ cidr })),
      ports: [{ port: props.port }],
    });
  }
  const scrapers = props.metricsScraperNamespaces ?? [];
  if (scrapers.length > 0) {
    rules.push({
      reason: `Prometheus scrapes of /actuator/prometheus from ${scrapers.join(', ')}`,
      peers: scrapers.map((namespace) => ({ namespace })),
      ports: [{ port: props.port }],
    });
  }
  return rules;
}
