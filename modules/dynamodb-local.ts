import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { HardenedDeployment, TMP_VOLUME } from './kubernetes/hardened-deployment';
import { Service } from './kubernetes/service';
import { checkServiceName } from './kubernetes/validation';

/** DynamoDB Local's port. */
export const DYNAMODB_LOCAL_PORT = 8000;
/** The uid of the image's `dynamodblocal` user; fsGroup makes the data volume writable for it. */
export const DYNAMODB_LOCAL_USER_ID = 1000;
/** Where the database file lives in the container (the volume's mount path). */
export const DYNAMODB_LOCAL_DATA_PATH = '/data';
/** One database file for every client (region and credentials), kept on the volume across restarts. */
export const DYNAMODB_LOCAL_ARGS = [
  '-jar',
  'DynamoDBLocal.jar',
  '-sharedDb',
  '-dbPath',
  DYNAMODB_LOCAL_DATA_PATH,
];

export interface DynamodbLocalProps {
  /** Namespace of the objects. */
  readonly namespace: string;
  /** The `amazon/dynamodb-local` image, with a tag. */
  readonly image: string;
  /**
   * Name of the Deployment and of the Service clients call (`http://<name>:8000`).
   * @default 'dynamodb'
   */
  readonly name?: string;
  /**
   * StorageClass of the data volume; K3s ships `local-path`.
   * @default 'local-path'
   */
  readonly storageClassName?: string;
  /**
   * Size of the data volume.
   * @default '1Gi'
   */
  readonly storageSize?: string;
}

/**
 * DynamoDB Local in a cluster: a single-replica Deployment with its database on a PersistentVolumeClaim (so a pod
 * restart keeps the carts) and a Service in front of it. The guide's "local world".
 */
export class DynamodbLocal extends Construct {
  public readonly claim: PersistentVolumeClaimV1;
  public readonly deployment: HardenedDeployment;
  public readonly service: Service;
  /** The Service's name (a plain string, so it can go into another container's environment verbatim). */
  public readonly serviceName: string;
  /** `http://<service>:8000`, reachable from pods in the same namespace. */
  public readonly endpoint: string;

  constructor(scope: Construct, id: string, props: DynamodbLocalProps) {
    super(scope, id);
    const name = props.name ?? 'dynamodb';
    const storageClassName = props.storageClassName ?? 'local-path';
    const storageSize = props.storageSize ?? '1Gi';
    validate(props, name, storageSize);
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'database' };

    this.claim = new PersistentVolumeClaimV1(this, 'data', {
      metadata: { name: `${name}-data`, namespace: props.namespace, labels },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName,
        resources: { requests: { storage: storageSize } },
      },
      // local-path binds on first consumer: waiting for the bind before the Deployment exists would never end.
      waitUntilBound: false,
    });

    this.deployment = new HardenedDeployment(this, 'deployment', {
      name,
      namespace: props.namespace,
      labels,
      // One writer on a ReadWriteOnce volume: the old pod must go before the new one mounts it.
      strategy: 'Recreate',
      // The image's own user (`dynamodblocal`); its group stays the image's.
      runAsUser: DYNAMODB_LOCAL_USER_ID,
      container: {
        image: props.image,
        args: DYNAMODB_LOCAL_ARGS,
        ports: [{ name: 'dynamodb', containerPort: DYNAMODB_LOCAL_PORT }],
        readinessProbe: { tcpSocket: [{ port: String(DYNAMODB_LOCAL_PORT) }], periodSeconds: 5 },
        resources: { cpuRequest: '100m', memoryRequest: '256Mi', cpuLimit: '500m', memoryLimit: '512Mi' },
      },
      // The JVM writes only to the database volume and /tmp.
      volumes: [
        {
          name: 'data',
          mountPath: DYNAMODB_LOCAL_DATA_PATH,
          source: { persistentVolumeClaim: { claimName: this.claim.metadata.name } },
        },
        TMP_VOLUME,
      ],
    });

    this.serviceName = name;
    this.service = new Service(this, 'service', {
      name,
      namespace: props.namespace,
      labels,
      selector: labels,
      ports: [{ name: 'dynamodb', port: DYNAMODB_LOCAL_PORT }],
    });
    this.endpoint = `http://${name}:${DYNAMODB_LOCAL_PORT}`;
  }
}

function validate(props: DynamodbLocalProps, name: string, storageSize: string): void {
  // Clients reach it at http://<name>:8000, so it must be a Service name.
  checkServiceName('DynamodbLocal', 'name', name);
  if (!Token.isUnresolved(props.image) && !/^[^\s]+:[\w][\w.-]{0,127}$/.test(props.image)) {
    throw new Error(
      `DynamodbLocal image: "${props.image}" needs an explicit tag, e.g. amazon/dynamodb-local:2.6.1`,
    );
  }
  if (!/^\d+(Mi|Gi|Ti)$/.test(storageSize)) {
    throw new Error(`DynamodbLocal storageSize: "${storageSize}" is not a size such as 1Gi`);
  }
}
