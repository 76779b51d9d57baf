/**
 * An Ingress the AWS Load Balancer Controller turns into an Application Load Balancer, sending the listed path
 * prefixes to one Service; ExternalDNS publishes its hostname. Needs the controller (and its webhook) running in the
 * cluster.
 */
import type { Construct } from 'constructs';
import { IngressV1, type IngressV1Config } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import type { Service } from './service';
import { ACM_CERTIFICATE_ARN, HOSTNAME, type StringRule } from '@cart-platform/service/validators';
import { requireFormat } from '../validate';
import { checkInteger, checkName, checkPort } from './validation';

/** A current ELB security policy: TLS 1.3 and 1.2 only, forward-secret ciphers. */
export const DEFAULT_ALB_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Path prefixes an Ingress must never route: health, metrics and topology are for the cluster only. */
export const PRIVATE_PATH_PREFIXES = ['/actuator', '/topology', '/health'] as const;

/** A WAFv2 web ACL ARN (regional scope: ALBs take only regional ACLs). */
export const WAFV2_WEB_ACL_ARN: StringRule = {
  pattern: /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[\w-]+\/[\w-]+$/,
  expected:
    'a regional WAFv2 web ACL ARN such as arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop/1a2b',
};

export interface AlbIngressProps {
  /** Name of the Ingress. */
  readonly name: string;
  /** Namespace of the Ingress (the Service's). */
  readonly namespace: string;
  /** Labels of the Ingress. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The Service every routed request goes to. */
  readonly backend: Service;
  /** The Service port requests go to. @default - the Service's first port */
  readonly backendPort?: number;
  /** Path prefixes routed to the backend (anything else gets the ALB's 404). @default ['/'] */
  readonly paths?: readonly string[];
  /**
   * IngressClass of the Load Balancer Controller.
   * @default 'alb'
   */
  readonly className?: string;
  /**
   * `internet-facing` (public subnets) or `internal` (private subnets).
   * @default 'internal'
   */
  readonly scheme?: 'internet-facing' | 'internal';
  /**
   * `ip` registers the pods themselves (VPC CNI gives them VPC addresses): no NodePort hop, and pod readiness
   * gates work; `instance` goes through a NodePort on every node.
   * @default 'ip'
   */
  readonly targetType?: 'ip' | 'instance';
  /** Path the ALB health-checks the targets on. @default - the controller's default, `/` */
  readonly healthCheckPath?: string;
  /** Hostname the rule matches and ExternalDNS publishes. @default - any host, no DNS record */
  readonly hostname?: string;
  /** ACM certificate: HTTPS on 443, and HTTP redirected to it. @default - HTTP on 80 only */
  readonly certificateArn?: string;
  /** The HTTPS listener's security policy (with a certificate). @default DEFAULT_ALB_SSL_POLICY */
  readonly sslPolicy?: string;
  /** IngressGroup: Ingresses with the same group share one ALB. @default - an ALB of its own */
  readonly groupName?: string;
  /** A regional WAFv2 web ACL attached to the ALB. @default - no WAF */
  readonly wafAclArn?: string;
  /**
   * The target group's `deregistration_delay.timeout_seconds` (keep it below the pods' grace period).
   * @default - the controller's default, 300 s
   */
  readonly deregistrationDelaySeconds?: number;
}

/** An ALB Ingress (`networking.k8s.io/v1`). */
export class AlbIngress extends IngressV1 {
  /** Whether the ALB listens on HTTPS (a certificate was given). */
  public readonly tls: boolean;

  constructor(scope: Construct, id: string, props: AlbIngressProps) {
    super(scope, id, ingressConfig(props));
    this.tls = props.certificateArn !== undefined;
  }
}

/** The Load Balancer Controller's and ExternalDNS's annotations for an Ingress with these props. */
export function albIngressAnnotations(
  props: Omit<
    AlbIngressProps,
    'name' | 'namespace' | 'labels' | 'backend' | 'backendPort' | 'paths' | 'className'
  >,
): Record<string, string> {
  const prefix = 'alb.ingress.kubernetes.io';
  const annotations: Record<string, string> = {
    [`${prefix}/scheme`]: props.scheme ?? 'internal',
    [`${prefix}/target-type`]: props.targetType ?? 'ip',
  };
  if (props.healthCheckPath !== undefined) annotations[`${prefix}/healthcheck-path`] = props.healthCheckPath;
  if (props.certificateArn !== undefined) {
    annotations[`${prefix}/listen-ports`] = JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]);
    annotations[`${prefix}/ssl-redirect`] = '443';
    annotations[`${prefix}/certificate-arn`] = props.certificateArn;
    annotations[`${prefix}/ssl-policy`] = props.sslPolicy ?? DEFAULT_ALB_SSL_POLICY;
  } else {
    annotations[`${prefix}/listen-ports`] = JSON.stringify([{ HTTP: 80 }]);
  }
  if (props.groupName !== undefined) annotations[`${prefix}/group.name`] = props.groupName;
  if (props.wafAclArn !== undefined) annotations[`${prefix}/wafv2-acl-arn`] = props.wafAclArn;
  if (props.deregistrationDelaySeconds !== undefined) {
    annotations[`${prefix}/target-group-attributes`] =
      `deregistration_delay.timeout_seconds=${props.deregistrationDelaySeconds}`;
  }
  if (props.hostname !== undefined) annotations['external-dns.alpha.kubernetes.io/hostname'] = props.hostname;
  return annotations;
}

function ingressConfig(props: AlbIngressProps): IngressV1Config {
  validate(props);
  const { name, namespace, labels, backend, backendPort, paths, className, ...rest } = props;
  const servicePort = backendPort ?? backend.ports[0].port;
  return {
    metadata: {
      name,
      namespace,
      ...(labels !== undefined && { labels: { ...labels } }),
      annotations: albIngressAnnotations(rest),
    },
    spec: {
      ingressClassName: className ?? 'alb',
      rule: [
        {
          ...(props.hostname !== undefined && { host: props.hostname }),
          http: {
            path: (paths ?? ['/']).map((path) => ({
              path,
              pathType: 'Prefix',
              backend: { service: { name: backend.metadata.name, port: { number: servicePort } } },
            })),
          },
        },
      ],
    },
  };
}

/** The private prefix a routed path would expose (`/` exposes them all), or undefined. */
export function exposedPrivatePath(path: string): string | undefined {
  const trimmed = path.replace(/\/+$/, '');
  return PRIVATE_PATH_PREFIXES.find(
    (p) => trimmed === '' || trimmed === p || trimmed.startsWith(`${p}/`) || p.startsWith(`${trimmed}/`),
  );
}

function validate(props: AlbIngressProps): void {
  const owner = 'AlbIngress';
  checkName(owner, 'name', props.name);
  checkName(owner, 'namespace', props.namespace);
  const port = props.backendPort;
  if (port !== undefined) {
    checkPort(owner, 'backendPort', port);
    if (!props.backend.ports.some((p) => p.port === port)) {
      const ports = props.backend.ports.map((p) => p.port).join(', ');
      throw new Error(`${owner} backendPort: ${port} is not a port of the backend Service (${ports})`);
    }
  }
  requireFormat(owner, 'certificateArn', ACM_CERTIFICATE_ARN, props.certificateArn);
  requireFormat(owner, 'hostname', HOSTNAME, props.hostname);
  requireFormat(owner, 'wafAclArn', WAFV2_WEB_ACL_ARN, props.wafAclArn);
  if (props.healthCheckPath !== undefined && !props.healthCheckPath.startsWith('/')) {
    throw new Error(`${owner} healthCheckPath: "${props.healthCheckPath}" must start with /`);
  }
  if (props.deregistrationDelaySeconds !== undefined) {
    checkInteger(owner, 'deregistrationDelaySeconds', props.deregistrationDelaySeconds, 0, 3600);
  }
  if (props.groupName !== undefined) checkName(owner, 'groupName', props.groupName);
  validatePaths(owner, props.paths);
}

function validatePaths(owner: string, paths: readonly string[] | undefined): void {
  if (paths === undefined) return;
  if (paths.length === 0)
    throw new Error(`${owner} paths: [] — give at least one path prefix such as /carts`);
  for (const path of paths) {
    if (!path.startsWith('/')) throw new Error(`${owner} paths: "${path}" must start with /`);
  }
}
