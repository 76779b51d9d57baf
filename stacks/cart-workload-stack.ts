import { Lazy, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { EcrImageCheck } from '../modules/ecr-image-check';
import { addAwsProvider } from '../modules/aws-provider';
import { eksCartEnvironment } from '../modules/cart-environment';
import { CLOUDWATCH_OBSERVABILITY_DEFAULTS } from '../modules/addons/cloudwatch-observability';
import { secretFileName } from '../modules/secret-arns';
import { CartWorkload, type CartNetworkPolicyProps } from '../modules/cart-workload';
import { cartIngress, eksCartEgress } from '../modules/cart-network-rules';
import { DEFAULT_PORT } from '@cart-platform/service/contract';
import { addEksKubernetesProvider } from '../modules/kubernetes-providers';
import { SecretProviderClass } from '../modules/secret-provider-class';
import { CartGitops } from './cart-gitops';
import { RemoteStateStack, awsProviderProps, type EnvironmentStackProps } from './environment-stack';
import type { CartInstanceOutputs, CartOutputs } from './cart-stack';
import { cartInstancesOf, type ResolvedCartInstance } from './config/cart-instances';
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
 * The cart on EKS: its Kubernetes workload wired to the cart stack's table and identity. No AWS resource lives
 * here — the table name, role and repository arrive as cross-stack references; the aws provider only reads the
 * image from ECR at plan time (`imageCheck`). Deploy it after `platform`: the Ingress needs the Load Balancer
 * Controller's webhook.
 */
export class CartWorkloadStack extends RemoteStateStack {
  /** The (first) cart's objects, when Terraform owns them (`gitops.enabled` false). */
  public readonly workload?: CartWorkload;
  /** Every instance's objects, in `cart.instances` order (the implicit instance alone by default). */
  public readonly workloads: readonly CartWorkload[];
  /** In GitOps mode: the namespace and ServiceAccount Terraform keeps, and the Argo CD Application. */
  public readonly gitops?: CartGitops;
  /** The (first) cart's secrets, mounted at /mnt/secrets-store (when `cart.secrets` is not empty). */
  public readonly secrets?: SecretProviderClass;
  /** The image the Deployments run (one repository for every instance). */
  public readonly image: string;
  /** The plan-time check that the image is in the environment's ECR repository (see `needsImageCheck`). */
  public readonly imageCheck?: EcrImageCheck;

  constructor(scope: Construct, id: string, props: CartWorkloadStackProps) {
    super(scope, id, props);
    const { cart } = props.config;
    addEksKubernetesProvider(this, props.cluster);

    this.image = `${cart.imageRepository ?? props.cart.repositoryUrl}:${cart.imageTag}`;
    this.imageCheck = this.checkImageInEcr();
    if (props.config.gitops.enabled) {
      // GitOps: the SecretProviderClass is in the manifests with the rest (npm run manifests), Argo CD's to apply.
      this.gitops = new CartGitops(this, 'cart', { config: props.config, cart: props.cart });
      this.workloads = [];
      new TerraformOutput(this, 'namespace', { value: this.gitops.namespace.metadata.name });
      new TerraformOutput(this, 'image', { value: this.image });
      return;
    }
    const resolved = cartInstancesOf(props.config);
    const built = resolved.map((instance, i) => {
      const outputs = props.cart.instances[i];
      if (outputs === undefined || outputs.namespace !== instance.namespace) {
        throw new Error(
          `CartWorkloadStack: the cart stack has no instance bound to namespace "${instance.namespace}"`,
        );
      }
      return this.addInstance(props, instance, outputs);
    });
    this.workloads = built.map((b) => b.workload);
    this.workload = this.workloads[0];
    this.secrets = built[0]?.secrets;
    if (cart.instances.length === 0 && this.workload !== undefined) {
      this.addOutputs(cart.namespace, this.workload, '');
      return;
    }
    new TerraformOutput(this, 'image', { value: this.image });
    built.forEach(({ workload }, i) => {
      const instance = resolved[i] as ResolvedCartInstance;
      this.addOutputs(instance.namespace, workload, `-${instance.name}`);
    });
  }

  /** One instance's SecretProviderClass (when `cart.secrets`) and workload. */
  private addInstance(
    props: CartWorkloadStackProps,
    instance: ResolvedCartInstance,
    outputs: CartInstanceOutputs,
  ): { workload: CartWorkload; secrets?: SecretProviderClass } {
    const { cart } = props.config;
    let workload: CartWorkload | undefined = undefined;
    let secrets: SecretProviderClass | undefined = undefined;
    if (cart.secrets.length > 0) {
      // Read with the pod's role (Pod Identity or IRSA, as the cart stack bound it), which the cart stack granted
      // exactly these secrets; the class asks ASCP for that same mode. The class goes
      // into the namespace the workload below creates: the lazy value resolves to that namespace resource's
      // reference at synth, so Terraform still creates the namespace first.
      secrets = new SecretProviderClass(this, `${instance.constructId}-secrets`, {
        name: CART_SECRET_PROVIDER_CLASS,
        namespace: Lazy.stringValue({ produce: () => workload?.namespaceName }),
        region: props.cart.region,
        identityMode: props.cart.identityMode,
        secrets: cart.secrets.map((secret) => ({
          objectName: secret,
          objectType: 'secretsmanager',
          objectAlias: secretFileName(secret),
        })),
      });
    }
    workload = new CartWorkload(this, instance.constructId, {
      namespace: outputs.namespace,
      serviceAccountName: outputs.serviceAccount,
      serviceAccountAnnotations: outputs.serviceAccountAnnotations,
      image: this.image,
      // Real DynamoDB: no endpoint, no keys, no create-table; credentials come from Pod Identity or IRSA.
      environment: cartEnvironment(props, outputs.tableName),
      replicas: instance.replicas,
      resources: cart.resources,
      autoscaling: instance.autoscaling,
      ingress:
        cart.exposure === 'off'
          ? undefined
          : {
              scheme: cart.exposure,
              hostname: instance.hostname,
              certificateArn: props.cart.certificateArn,
              groupName: cart.ingressGroupName,
              wafAclArn: cart.wafAclArn,
            },
      networkPolicy: cartNetworkPolicy(props.config, instance.clientNamespaces),
      secretProviderClassName: secrets?.name,
      // Pods whose SecretProviderClass is missing fail to mount and back off: create it first.
      dependsOn: secrets && [secrets.manifest],
    });
    return { workload, secrets };
  }

  /** The namespace, and how to reach the cart; `suffix` is `-<instance>` for team instances. */
  private addOutputs(namespace: string, workload: CartWorkload, suffix: string): void {
    new TerraformOutput(this, `namespace${suffix}`, { value: workload.namespaceName });
    if (suffix === '') new TerraformOutput(this, 'image', { value: this.image });
    if (workload.ingress !== undefined) {
      new TerraformOutput(this, `ingress-hostname-command${suffix}`, {
        description: 'Prints the ALB hostname once the Load Balancer Controller has provisioned it',
        value: `kubectl -n ${namespace} get ingress carts -o jsonpath='{.status.loadBalancer.ingress[0].hostname}'`,
      });
    } else {
      new TerraformOutput(this, `port-forward-command${suffix}`, {
        description: 'No Ingress (cart.exposure is off): reach the cart from your machine on localhost:8080',
        value: `kubectl -n ${namespace} port-forward service/carts 8080:80`,
      });
    }
  }

  /** The plan-time read of the image in the environment's ECR repository, with the aws provider it needs. */
  private checkImageInEcr(): EcrImageCheck | undefined {
    if (!needsImageCheck(this.config)) return undefined;
    addAwsProvider(this, awsProviderProps(this.config));
    return new EcrImageCheck(this, 'cart-image', {
      repositoryName: this.config.cart.ecrRepositoryName,
      imageTag: this.config.cart.imageTag,
    });
  }
}

/**
 * Whether the plan checks the image is in the environment's ECR repository: only when Terraform deploys the cart
 * (in GitOps mode Argo CD applies the Deployment from the manifests, so a Terraform plan proves nothing) and the
 * image comes from that repository (`cart.imageRepository` points elsewhere). `local` has no ECR and no such stack.
 */
export function needsImageCheck(config: CartWorkloadStackProps['config']): boolean {
  return !config.gitops.enabled && config.cart.imageRepository === undefined;
}

/** The cart's variables on EKS: real DynamoDB (no endpoint, no keys), traces to the agent when tracing is on. */
function cartEnvironment(props: CartWorkloadStackProps, tableName: string): Record<string, string> {
  const { tracing } = props.config.cart;
  return eksCartEnvironment({
    region: props.cart.region,
    tableName,
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
function cartNetworkPolicy(
  config: EnvironmentConfig,
  clientNamespaces: readonly string[],
): CartNetworkPolicyProps {
  const { cart } = config;
  const agent = CLOUDWATCH_OBSERVABILITY_DEFAULTS;
  const agentOn = config.addons.cloudwatchObservability.enabled;
  return {
    // The ALB's security group cannot be named in a NetworkPolicy (it selects pods and IP blocks), and its
    // nodes take addresses in the VPC's subnets: the VPC CIDR is the narrowest stable block.
    ingress: cartIngress({
      port: DEFAULT_PORT,
      clientNamespaces,
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
