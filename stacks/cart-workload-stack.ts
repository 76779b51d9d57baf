import { Lazy, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { eksCartEnvironment } from '../modules/cart-environment';
import { CLOUDWATCH_OBSERVABILITY_DEFAULTS } from '../modules/addons/cloudwatch-observability';
import { secretFileName } from '../modules/secret-arns';
import { CartWorkload, type CartNetworkPolicyProps } from '../modules/cart-workload';
import { cartIngress, eksCartEgress } from '../modules/cart-network-rules';
import { DEFAULT_PORT } from '@cart-platform/service/contract';
import { addEksKubernetesProvider } from '../modules/kubernetes-providers';
import { SecretProviderClass } from '../modules/secret-provider-class';
import { CartGitops } from './cart-gitops';
import { RemoteStateStack, type EnvironmentStackProps } from './environment-stack';
import type { CartOutputs } from './cart-stack';
import type { ClusterOutputs } from './cluster-stack';
import type { EnvironmentConfig } from './config/schema';

/** The SecretProviderClass of the cart's secrets (when `cart.secrets` is not empty). */
export const CART_SECRET_PROVIDER_CLASS = 'carts-secrets';

export interface CartWorkloadStackProps extends EnvironmentStackProps {
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
  /** The cart's objects, when Terraform owns them (`gitops.enabled` false). */
  public readonly workload?: CartWorkload;
  /** In GitOps mode: the namespace and ServiceAccount Terraform keeps, and the Argo CD Application. */
  public readonly gitops?: CartGitops;
  /** The cart's secrets, mounted at /mnt/secrets-store (when `cart.secrets` is not empty). */
  public readonly secrets?: SecretProviderClass;
  /** The image the Deployment runs. */
  public readonly image: string;

  constructor(scope: Construct, id: string, props: CartWorkloadStackProps) {
    super(scope, id, props);
    const { cart } = props.config;
    addEksKubernetesProvider(this, props.cluster);

    this.image = `${cart.imageRepository ?? props.cart.repositoryUrl}:${cart.imageTag}`;
    // GitOps: the SecretProviderClass is in the manifests with the rest (npm run manifests), Argo CD's to apply.
    if (cart.secrets.length > 0 && !props.config.gitops.enabled) {
      // Read with the pod's Pod Identity role, which the cart stack granted exactly these secrets. The class goes
      // into the namespace the workload below creates: the lazy value resolves to that namespace resource's
      // reference at synth, so Terraform still creates the namespace first.
      this.secrets = new SecretProviderClass(this, 'cart-secrets', {
        name: CART_SECRET_PROVIDER_CLASS,
        namespace: Lazy.stringValue({ produce: () => this.workload?.namespaceName }),
        region: props.cart.region,
        secrets: cart.secrets.map((secret) => ({
          objectName: secret,
          objectType: 'secretsmanager',
          objectAlias: secretFileName(secret),
        })),
      });
    }
    if (props.config.gitops.enabled) {
      this.gitops = new CartGitops(this, 'cart', { config: props.config, cart: props.cart });
      new TerraformOutput(this, 'namespace', { value: this.gitops.namespace.metadata.name });
      new TerraformOutput(this, 'image', { value: this.image });
      return;
    }
    this.workload = new CartWorkload(this, 'cart', {
      namespace: props.cart.namespace,
      serviceAccountName: props.cart.serviceAccount,
      serviceAccountAnnotations: props.cart.serviceAccountAnnotations,
      image: this.image,
      // Real DynamoDB: no endpoint, no keys, no create-table; credentials come from Pod Identity or IRSA.
      environment: cartEnvironment(props),
      replicas: cart.replicas,
      resources: cart.resources,
      autoscaling: cart.autoscaling,
      ingress:
        cart.exposure === 'off'
          ? undefined
          : {
              scheme: cart.exposure,
              hostname: cart.hostname,
              certificateArn: props.cart.certificateArn,
              groupName: cart.ingressGroupName,
              wafAclArn: cart.wafAclArn,
            },
      networkPolicy: cartNetworkPolicy(props.config),
      secretProviderClassName: this.secrets?.name,
      // Pods whose SecretProviderClass is missing fail to mount and back off: create it first.
      dependsOn: this.secrets && [this.secrets.manifest],
    });

    new TerraformOutput(this, 'namespace', { value: this.workload.namespaceName });
    new TerraformOutput(this, 'image', { value: this.image });
    if (this.workload.ingress !== undefined) {
      new TerraformOutput(this, 'ingress-hostname-command', {
        description: 'Prints the ALB hostname once the Load Balancer Controller has provisioned it',
        value: `kubectl -n ${cart.namespace} get ingress carts -o jsonpath='{.status.loadBalancer.ingress[0].hostname}'`,
      });
    } else {
      new TerraformOutput(this, 'port-forward-command', {
        description: 'No Ingress (cart.exposure is off): reach the cart from your machine on localhost:8080',
        value: `kubectl -n ${cart.namespace} port-forward service/carts 8080:80`,
      });
    }
  }
}

/** The cart's variables on EKS: real DynamoDB (no endpoint, no keys), traces to the agent when tracing is on. */
function cartEnvironment(props: CartWorkloadStackProps): Record<string, string> {
  const { tracing } = props.config.cart;
  return eksCartEnvironment({
    region: props.cart.region,
    tableName: props.cart.tableName,
    tracing: tracing.enabled
      ? {
          endpoint: CLOUDWATCH_OBSERVABILITY_DEFAULTS.otlpHttpEndpoint,
          samplingRatio: tracing.samplingRatio,
          environment: props.config.environment,
        }
      : undefined,
  });
}

/**
 * The cart namespace's allow-list on EKS. With the CloudWatch agent on, it may scrape the cart's metrics; with
 * tracing on, the cart may send spans to the agent's OTLP port (both denied otherwise).
 */
function cartNetworkPolicy(config: EnvironmentConfig): CartNetworkPolicyProps {
  const { cart } = config;
  const agent = CLOUDWATCH_OBSERVABILITY_DEFAULTS;
  const agentOn = config.addons.cloudwatchObservability.enabled;
  return {
    // The ALB's security group cannot be named in a NetworkPolicy (it selects pods and IP blocks), and its
    // nodes take addresses in the VPC's subnets: the VPC CIDR is the narrowest stable block.
    ingress: cartIngress({
      port: DEFAULT_PORT,
      clientNamespaces: cart.clientNamespaces,
      loadBalancerCidrs: cart.exposure === 'off' ? undefined : [config.network.vpcCidr],
      metricsScraperNamespaces: agentOn ? [agent.namespace] : [],
    }),
    egress: eksCartEgress({
      traceCollector: cart.tracing.enabled
        ? { namespace: agent.namespace, port: agent.otlpHttpPort }
        : undefined,
    }),
  };
}
