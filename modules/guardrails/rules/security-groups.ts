/**
 * Security groups: from the internet, only HTTP and HTTPS (the load balancer's listeners). Synth cannot tell the
 * ALB's group from others (the Load Balancer Controller creates it), so 80/443 are accepted on any group.
 */
import { internetCovered } from '../internet';
import type { ElementView, SynthesizedApp } from '../synthesized-app';
import { type GuardrailRule, type Violation } from '../types';
import { block, blocks, num, strings } from '../values';

const PUBLIC_PORTS = [80, 443];

interface IngressRule {
  readonly element: ElementView;
  readonly cidrs: string[];
  readonly protocol: string;
  readonly from?: number;
  readonly to?: number;
}

function ingressRules(element: ElementView): IngressRule[] {
  const c = element.config;
  if (element.type === 'aws_security_group') {
    return blocks(c.ingress).map((i) => ({
      element,
      cidrs: [...strings(i.cidr_blocks), ...strings(i.ipv6_cidr_blocks)],
      protocol: String(i.protocol ?? ''),
      from: num(i.from_port),
      to: num(i.to_port),
    }));
  }
  if (element.type === 'aws_security_group_rule') {
    if (c.type !== 'ingress') return [];
    return [
      {
        element,
        cidrs: [...strings(c.cidr_blocks), ...strings(c.ipv6_cidr_blocks)],
        protocol: String(c.protocol ?? ''),
        from: num(c.from_port),
        to: num(c.to_port),
      },
    ];
  }
  return [
    {
      element,
      cidrs: [...strings(c.cidr_ipv4), ...strings(c.cidr_ipv6)],
      protocol: String(c.ip_protocol ?? ''),
      from: num(c.from_port),
      to: num(c.to_port),
    },
  ];
}

/** Checkov's id for the most specific port the range opens. */
function checkovFor(rule: IngressRule, allPorts: boolean): string[] {
  const opens = (port: number) =>
    allPorts || (rule.from !== undefined && rule.to !== undefined && rule.from <= port && port <= rule.to);
  return [
    ...(allPorts ? ['CKV_AWS_277'] : []),
    ...(opens(22) ? ['CKV_AWS_24'] : []),
    ...(opens(3389) ? ['CKV_AWS_25'] : []),
  ];
}

/**
 * A managed node group with an SSH key and no source security groups: EKS opens port 22 on the nodes to
 * 0.0.0.0/0 (EKS API reference, RemoteAccessConfig).
 */
function remoteAccess(app: SynthesizedApp): Violation[] {
  return app.resources('aws_eks_node_group').flatMap((group): Violation[] => {
    const access = block(group.config.remote_access);
    const key = app.literal(access?.ec2_ssh_key, group);
    if (
      access === undefined ||
      access.ec2_ssh_key === undefined ||
      strings(access.source_security_group_ids).length > 0
    )
      return [];
    return [
      {
        element: group,
        message: `remote_access sets ec2_ssh_key ${JSON.stringify(key ?? 'from a reference')} without source_security_group_ids, so EKS opens SSH (port 22) on every node to 0.0.0.0/0.`,
        effect:
          'SSH to the nodes is reachable from the whole internet: one leaked key or sshd vulnerability away from root on a node.',
        fix: 'remove remote_access (use SSM Session Manager), or set source_security_group_ids to a bastion or VPN security group.',
        checkov: ['CKV_AWS_100'],
      },
    ];
  });
}

export const openIngress: GuardrailRule = {
  id: 'CART151',
  title:
    'Nothing open to the internet (0.0.0.0/0, ::/0, or CIDRs that add up to it) but ports 80 and 443; no node-group SSH from anywhere',
  prevents: 'SSH, RDP, databases or node ports reachable from the whole internet.',
  category: 'always',
  checkov: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_277', 'CKV_AWS_100'],
  fix: 'open only 80/443 to the internet (on the load balancer); restrict everything else to the VPC CIDR or a security group.',
  check(app) {
    const elements = app.resources(
      'aws_security_group',
      'aws_security_group_rule',
      'aws_vpc_security_group_ingress_rule',
    );
    return [
      ...remoteAccess(app),
      ...elements.flatMap(ingressRules).flatMap((rule): Violation[] => {
        const world = internetCovered(rule.cidrs);
        if (world.length === 0) return [];
        const given = rule.cidrs.some((c) => world.includes(c))
          ? world.join(', ')
          : `${rule.cidrs.join(', ')} (together ${world.join(', ')})`;
        const allPorts =
          rule.protocol === '-1' || rule.protocol.toLowerCase() === 'all' || rule.from === undefined;
        const onlyPublic = !allPorts && rule.from === rule.to && PUBLIC_PORTS.includes(rule.from ?? -1);
        if (onlyPublic) return [];
        const ports = allPorts
          ? 'all ports'
          : rule.from === rule.to
            ? `port ${rule.from}`
            : `ports ${rule.from}-${rule.to}`;
        return [
          {
            element: rule.element,
            message: `allows ingress from ${given} to ${ports} (${rule.protocol}).`,
            fix: 'open only 80/443 to the internet (on the load balancer); restrict everything else to the VPC CIDR or a security group.',
            checkov: checkovFor(rule, allPorts),
          },
        ];
      }),
    ];
  },
};
