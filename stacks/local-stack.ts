import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import {
  LOCAL_DUMMY_CREDENTIALS,
  localCartEnvironment,
  localCartSecretEnvironment,
} from '../modules/cart-environment';
import { CartWorkload } from '../modules/cart-workload';
import { DYNAMODB_LOCAL_PORT, DynamodbLocal } from '../modules/dynamodb-local';
import { CLUSTER_DNS_RULE } from '../modules/cart-network-rules';
import { NetworkPolicy } from '../modules/kubernetes/network-policy';
import { DEFAULT_PORT } from '@cart-platform/service/contract';
import { addKubeconfigProvider } from '../modules/kubernetes-providers';
import type { EnvironmentStackProps } from './environment-stack';
import { REQUIRED_TERRAFORM } from './environment-stack';

/** The Secret holding DynamoDB Local's dummy credentials. */
export const LOCAL_CREDENTIALS_SECRET = 'cart-dynamodb-local-credentials';

/**
 * The guide's local world on K3s (or any cluster in a kubeconfig): DynamoDB Local on a persistent volume and the
 * same cart image as on EKS, wired to it with an endpoint, dummy keys and create-table, reachable on a NodePort.
 * Local state and no AWS provider: nothing here touches AWS.
 */
export class LocalStack extends TerraformStack {
  public readonly namespace: NamespaceV1;
  public readonly dynamodb: DynamodbLocal;
  public readonly credentials: SecretV1;
  public readonly cart: CartWorkload;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM);
    const { local, cart, region } = props.config;
    addKubeconfigProvider(this, { configPath: local.kubeconfigPath, context: local.context });

    const labels = { 'app.kubernetes.io/part-of': 'retail-store', 'app.kubernetes.io/managed-by': 'cdktf' };
    this.namespace = new NamespaceV1(this, 'namespace', { metadata: { name: local.namespace, labels } });
    const namespace = this.namespace.metadata.name;

    this.dynamodb = new DynamodbLocal(this, 'dynamodb-local', {
      namespace,
      image: local.dynamodbLocalImage,
      storageClassName: local.storageClassName,
    });
    this.credentials = new SecretV1(this, 'dynamodb-local-credentials', {
      metadata: { name: LOCAL_CREDENTIALS_SECRET, namespace, labels },
      data: { ...LOCAL_DUMMY_CREDENTIALS },
    });

    this.cart = new CartWorkload(this, 'cart', {
      namespace,
      createNamespace: false,
      serviceAccountName: cart.serviceAccount,
      image: local.cartImage,
      environment: localCartEnvironment({
        region,
        tableName: cart.tableName,
        endpoint: this.dynamodb.endpoint,
      }),
      secretEnvironment: { secretName: this.credentials.metadata.name, keys: localCartSecretEnvironment() },
      replicas: 1,
      nodePort: local.nodePort,
      // One replica on a one-node cluster: a minAvailable-1 budget would block every drain.
      podDisruptionBudget: false,
      networkPolicy: {
        // NodePort traffic reaches the pod from the node's address (SNAT), so any source on the container port.
        ingress: [
          {
            reason: 'the NodePort from the host (source NATed to the node)',
            peers: [{ cidr: '0.0.0.0/0' }],
            ports: [{ port: DEFAULT_PORT }],
          },
        ],
        egress: [
          CLUSTER_DNS_RULE,
          {
            reason: 'DynamoDB Local',
            peers: [{ podLabels: this.dynamodb.deployment.selectorLabels }],
            ports: [{ port: DYNAMODB_LOCAL_PORT }],
          },
        ],
      },
      // The cart exits when DynamoDB does not answer at start; wait for DynamoDB Local's rollout first.
      dependsOn: [this.dynamodb.deployment, this.dynamodb.service],
    });

    // The namespace denies everything (the cart's default-deny-all): DynamoDB Local takes calls from the cart only.
    new NetworkPolicy(this, 'dynamodb-local-network-policy', {
      name: 'dynamodb',
      namespace,
      podLabels: this.dynamodb.deployment.selectorLabels,
      ingress: [
        {
          reason: 'the cart',
          peers: [{ podLabels: this.cart.selectorLabels }],
          ports: [{ port: DYNAMODB_LOCAL_PORT }],
        },
      ],
    });

    new TerraformOutput(this, 'cart-url', {
      description: 'The cart on the NodePort (K3s publishes NodePorts on the host)',
      value: `http://localhost:${local.nodePort}`,
    });
    new TerraformOutput(this, 'port-forward-command', {
      description: 'Reach the cart through the API server instead of the NodePort',
      value: `kubectl --context ${local.context} -n ${local.namespace} port-forward svc/carts 8080:80`,
    });
  }
}
