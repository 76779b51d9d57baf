/**
 * An Ingress the AWS Load Balancer Controller turns into an Application Load Balancer, sending every path to one
 * Service; ExternalDNS publishes its hostname. Needs the controller (and its webhook) running in the cluster.
 */
import type { Construct } from 'constructs';
import { IngressV1, type IngressV1Config } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import type { Service } from './service';
import { ACM_CERTIFICATE_ARN, HOSTNAME } from '@cart-platform/service/validators';
import { requireFormat } from '../validate';
import { checkName, checkPort } from './validation';

export interface AlbIngressProps {
  /** Name of the Ingress. */
  readonly name: string;
  /** Namespace of the Ingress (the Service's). */
  readonly namespace: string;
  /** Labels of the Ingress. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The Service every request goes to. */
  readonly backend: Service;
  /** The Service port requests go to. @default - the Service's first port */
  readonly backendPort?: number;
  /**
   * IngressClass of the Load Balancer Controller.
   * @default 'alb'
   */
  readonly className?: string;
  /**
   * `internet-facing` (public subnets) or `internal` (private subnets).
   * @default 'internet-facing'
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
}

/** An ALB Ingress (`networking.k8s.io/v1`). */
export class AlbIngress extends IngressV1 {
  constructor(scope: Construct, id: string, props: AlbIngressProps) {
    super(scope, id, ingressConfig(props));
  }
}

/** The Load Balancer Controller's and ExternalDNS's annotations for an Ingress with these props. */
export function albIngressAnnotations(
  props: Pick<AlbIngressProps, 'scheme' | 'targetType' | 'healthCheckPath' | 'hostname' | 'certificateArn'>,
): Record<string, string> {
  const annotations: Record<string, string> = {
    'alb.ingress.kubernetes.io/scheme': props.scheme ?? 'internet-facing',
    'alb.ingress.kubernetes.io/target-type': props.targetType ?? 'ip',
  };
  if (props.healthCheckPath !== undefined) {
    annotations['alb.ingress.kubernetes.io/healthcheck-path'] = props.healthCheckPath;
  }
  if (props.certificateArn !== undefined) {
    annotations['alb.ingress.kubernetes.io/listen-ports'] = JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]);
    annotations['alb.ingress.kubernetes.io/ssl-redirect'] = '443';
    annotations['alb.ingress.kubernetes.io/certificate-arn'] = props.certificateArn;
  } else {
    annotations['alb.ingress.kubernetes.io/listen-ports'] = JSON.stringify([{ HTTP: 80 }]);
  }
  if (props.hostname !== undefined) {
    annotations['external-dns.alpha.kubernetes.io/hostname'] = props.hostname;
  }
  return annotations;
}

function ingressConfig(props: AlbIngressProps): IngressV1Config {
  validate(props);
  return {
    metadata: {
      name: props.name,
      namespace: props.namespace,
      ...(props.labels !== undefined && { labels: { ...props.labels } }),
      annotations: albIngressAnnotations(props),
    },
    spec: {
      ingressClassName: props.className ?? 'alb',
      rule: [
        {
          ...(props.hostname !== undefined && { host: props.hostname }),
          http: {
            path: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: {
                  service: {
                    name: props.backend.metadata.name,
                    port: { number: props.backendPort ?? props.backend.ports[0].port },
                  },
                },
              },
            ],
          },
        },
      ],
    },
  };
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
  if (props.healthCheckPath !== undefined && !props.healthCheckPath.startsWith('/')) {
    throw new Error(`${owner} healthCheckPath: "${props.healthCheckPath}" must start with /`);
  }
}
