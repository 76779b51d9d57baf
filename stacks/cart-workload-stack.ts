import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { eksCartEnvironment } from '../modules/cart-environment';
import { CartWorkload } from '../modules/cart-workload';
import { addEksKubernetesProviders } from '../modules/kubernetes-providers';
import { RemoteStateStack, type PlatformStackProps } from './aws-platform-stack';
import type { CartOutputs } from './cart-stack';
import type { ClusterOutputs } from './cluster-stack';

export interface CartWorkloadStackProps extends PlatformStackProps {
  /** The cluster stack's outputs (the Kubernetes provider's connection). */
  readonly cluster: ClusterOutputs;
  /** The cart stack's outputs (table, role, repository). */
  readonly cart: CartOutputs;
}

/**
 * The cart on EKS: its Kubernetes workload wired to the cart stack's table and identity. Nothing AWS lives here —
 * the table name, role and repository arrive as cross-stack references — so this stack needs only the Kubernetes
 * provider. Deploy it after `platform`: the Ingress needs the Load Balancer Controller's webhook.
 */
export class CartWorkloadStack extends RemoteStateStack {
  public readonly workload: CartWorkload;
  /** The image the Deployment runs. */
  public readonly image: string;

  constructor(scope: Construct, id: string, props: CartWorkloadStackProps) {
    super(scope, id, props);
    const { cart } = props.config;
    addEksKubernetesProviders(this, props.cluster);

    this.image = `${cart.imageRepository ?? props.cart.repositoryUrl}:${cart.imageTag}`;
    this.workload = new CartWorkload(this, 'cart', {
      namespace: props.cart.namespace,
      serviceAccountName: props.cart.serviceAccount,
      serviceAccountAnnotations: props.cart.serviceAccountAnnotations,
      image: this.image,
      // Real DynamoDB: no endpoint, no keys, no create-table; credentials come from Pod Identity or IRSA.
      environment: eksCartEnvironment({ region: props.cart.region, tableName: props.cart.tableName }),
      replicas: cart.replicas,
      resources: cart.resources,
      autoscaling: cart.autoscaling,
      ingress: { hostname: cart.hostname, certificateArn: cart.certificateArn },
    });

    new TerraformOutput(this, 'namespace', { value: this.workload.namespaceName });
    new TerraformOutput(this, 'image', { value: this.image });
    new TerraformOutput(this, 'ingress-hostname-command', {
      description: 'Prints the ALB hostname once the Load Balancer Controller has provisioned it',
      value: `kubectl -n ${cart.namespace} get ingress carts -o jsonpath='{.status.loadBalancer.ingress[0].hostname}'`,
    });
  }
}
