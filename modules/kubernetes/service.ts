/** A Service in front of a set of pods: a stable name and virtual IP inside the cluster, or a port on every node. */
import type { Construct } from 'constructs';
import {
  ServiceV1,
  type ServiceV1Config,
  type ServiceV1SpecPort,
} from '@cdktf/provider-kubernetes/lib/service-v1';
import {
  checkInteger,
  checkName,
  checkPort,
  checkPortName,
  checkServiceName,
  NODE_PORT_RANGE,
} from './validation';

/** One port of the Service. */
export interface ServicePort {
  /** The port's name (clients and Ingresses may refer to it). */
  readonly name: string;
  /** The port the Service listens on. */
  readonly port: number;
  /** The pods' port, by name or number. @default - the container port of the same `name` */
  readonly targetPort?: string;
  /**
   * Protocol.
   * @default 'TCP'
   */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  /** The port on every node (type `NodePort` only). @default - one the API server picks */
  readonly nodePort?: number;
}

export interface ServiceProps {
  /** Name of the Service, and the DNS name clients use (`http://<name>`, `<name>.<namespace>.svc`). */
  readonly name: string;
  /** Namespace of the Service (and of the pods it selects). */
  readonly namespace: string;
  /** Labels of the Service. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Labels of the pods it sends traffic to. */
  readonly selector: Readonly<Record<string, string>>;
  /** Its ports (at least one). */
  readonly ports: readonly ServicePort[];
  /** `ClusterIP`: reachable inside the cluster; `NodePort`: also on a port of every node. @default - ClusterIP, Kubernetes' default, left unstated */
  readonly type?: 'ClusterIP' | 'NodePort';
}

/** A Service (`v1`). */
export class Service extends ServiceV1 {
  /** The ports, as given (an Ingress reads its backend port here). */
  public readonly ports: readonly ServicePort[];

  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(scope, id, serviceConfig(props));
    this.ports = props.ports;
  }
}

function serviceConfig(props: ServiceProps): ServiceV1Config {
  validate(props);
  return {
    metadata: {
      name: props.name,
      namespace: props.namespace,
      ...(props.labels !== undefined && { labels: { ...props.labels } }),
    },
    spec: {
      ...(props.type !== undefined && { type: props.type }),
      selector: { ...props.selector },
      port: props.ports.map(servicePort),
    },
  };
}

function servicePort(port: ServicePort): ServiceV1SpecPort {
  return {
    name: port.name,
    port: port.port,
    targetPort: port.targetPort ?? port.name,
    protocol: port.protocol ?? 'TCP',
    ...(port.nodePort !== undefined && { nodePort: port.nodePort }),
  };
}

function validate(props: ServiceProps): void {
  const owner = 'Service';
  checkServiceName(owner, 'name', props.name);
  checkName(owner, 'namespace', props.namespace);
  if (Object.keys(props.selector).length === 0) {
    throw new Error(`${owner} selector: {} would select no pods; give the pods' labels`);
  }
  if (props.ports.length === 0) throw new Error(`${owner} ports: [] — give at least one port`);
  for (const port of props.ports) {
    checkPortName(owner, 'ports[].name', port.name);
    checkPort(owner, `ports[${port.name}].port`, port.port);
    if (port.nodePort === undefined) continue;
    if (props.type !== 'NodePort') {
      throw new Error(`${owner} ports[${port.name}].nodePort: ${port.nodePort} needs type NodePort`);
    }
    checkInteger(
      owner,
      `ports[${port.name}].nodePort`,
      port.nodePort,
      NODE_PORT_RANGE.min,
      NODE_PORT_RANGE.max,
    );
  }
}
