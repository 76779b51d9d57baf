/**
 * A NetworkPolicy that isolates the selected pods in both directions: only the listed rules are allowed, so a policy
 * with no rules denies all ingress and egress. The VPC CNI (with network policy enabled) and K3s enforce it.
 */
import type { Construct } from 'constructs';
import {
  NetworkPolicyV1,
  type NetworkPolicyV1SpecIngressFrom,
} from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { checkName, checkPort } from './validation';

/** Who a rule allows: pods (by namespace and/or labels) or an IP block. */
export interface NetworkPeer {
  /** Pods of this namespace (matched on `kubernetes.io/metadata.name`). @default - the policy's namespace */
  readonly namespace?: string;
  /** Pods with these labels. @default - every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** An IP block instead of pods (then namespace and podLabels must be absent). @default - pods */
  readonly cidr?: string;
  /** Blocks inside `cidr` that stay denied. @default [] */
  readonly except?: readonly string[];
}

/** One allowed flow: these peers on these ports. */
export interface NetworkRule {
  /** Why the flow is needed (kept in the policy's annotations for whoever reads it in the cluster). */
  readonly reason: string;
  /** The peers. */
  readonly peers: readonly NetworkPeer[];
  /** Destination ports (TCP unless said). */
  readonly ports: readonly { readonly port: number; readonly protocol?: 'TCP' | 'UDP' }[];
}

export interface NetworkPolicyProps {
  /** Name of the policy. */
  readonly name: string;
  /** Namespace of the policy and of the pods it selects. */
  readonly namespace: string;
  /** Pods it applies to. @default - every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Allowed incoming flows. @default [] (all ingress denied) */
  readonly ingress?: readonly NetworkRule[];
  /** Allowed outgoing flows. @default [] (all egress denied) */
  readonly egress?: readonly NetworkRule[];
}

/** A `networking.k8s.io/v1` NetworkPolicy with both policy types: anything not listed is denied. */
export class NetworkPolicy extends NetworkPolicyV1 {
  constructor(scope: Construct, id: string, props: NetworkPolicyProps) {
    validate(props);
    const rules = (list: readonly NetworkRule[] | undefined) => list ?? [];
    super(scope, id, {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: reasons(props),
      },
      spec: {
        podSelector: { matchLabels: { ...props.podLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: rules(props.ingress).map((r) => ({ from: r.peers.map(peer), ports: ports(r) })),
        egress: rules(props.egress).map((r) => ({ to: r.peers.map(peer), ports: ports(r) })),
      },
    });
  }
}

function peer(p: NetworkPeer): NetworkPolicyV1SpecIngressFrom {
  if (p.cidr !== undefined) return { ipBlock: { cidr: p.cidr, except: [...(p.except ?? [])] } };
  return {
    ...(p.namespace !== undefined && {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } },
    }),
    ...(p.podLabels !== undefined && { podSelector: { matchLabels: { ...p.podLabels } } }),
  };
}

function ports(rule: NetworkRule) {
  return rule.ports.map((p) => ({ port: String(p.port), protocol: p.protocol ?? 'TCP' }));
}

/** `network-policy.cart-platform/ingress-0: <reason>`: the why travels with the object. */
function reasons(props: NetworkPolicyProps): Record<string, string> {
  const entries = [
    ...(props.ingress ?? []).map((r, i) => [`network-policy.cart-platform/ingress-${i}`, r.reason]),
    ...(props.egress ?? []).map((r, i) => [`network-policy.cart-platform/egress-${i}`, r.reason]),
  ];
  return Object.fromEntries(entries);
}

function validate(props: NetworkPolicyProps): void {
  const owner = 'NetworkPolicy';
  checkName(owner, 'name', props.name);
  checkName(owner, 'namespace', props.namespace);
  for (const [direction, list] of [
    ['ingress', props.ingress ?? []],
    ['egress', props.egress ?? []],
  ] as const) {
    list.forEach((rule, i) => {
      if (rule.peers.length === 0) {
        throw new Error(`${owner} ${direction}[${i}].peers: [] would allow every peer; list them`);
      }
      rule.ports.forEach((p, j) => checkPort(owner, `${direction}[${i}].ports[${j}].port`, p.port));
      rule.peers.forEach((p, j) => {
        if (p.cidr !== undefined && (p.namespace !== undefined || p.podLabels !== undefined)) {
          throw new Error(
            `${owner} ${direction}[${i}].peers[${j}]: cidr "${p.cidr}" set with namespace or podLabels; choose one`,
          );
        }
        if (p.namespace !== undefined)
          checkName(owner, `${direction}[${i}].peers[${j}].namespace`, p.namespace);
      });
    });
  }
}
