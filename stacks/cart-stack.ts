import { Fn, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { secretResourceArn } from '../modules/secret-arns';
import { CartTable } from '../modules/cart-table';
import { DnsValidatedCertificate } from '../modules/dns-validated-certificate';
import { EcrRepository } from '../modules/ecr-repository';
import { grantSecretsRead } from '../modules/secret-grants';
import { WorkloadIdentity, type IdentityMode } from '../modules/workload-identity';
import type { EnvironmentConfig } from './config/schema';
import { AwsStack, type EnvironmentStackProps } from './environment-stack';
import type { ClusterOutputs } from './cluster-stack';

export interface CartStackProps extends EnvironmentStackProps {
  /** The cluster stack's outputs. */
  readonly cluster: ClusterOutputs;
}

/** What the cart's workload stack needs (cross-stack references). */
export interface CartOutputs {
  /** The table's name, as the table resource reports it. */
  readonly tableName: string;
  readonly tableArn: string;
  /** The region of the table (the AWS provider's region). */
  readonly region: string;
  /** The IAM role the cart's pods receive. */
  readonly roleArn: string;
  /** The ECR repository URL, without a tag. */
  readonly repositoryUrl: string;
  readonly identityMode: IdentityMode;
  /** Namespace and service account the role is bound to (the workload must use exactly these). */
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Annotations the ServiceAccount must carry (the role ARN for IRSA; none for Pod Identity). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** The Ingress's certificate: `cart.certificateArn`, or the one this stack validated; none when not exposed. */
  readonly certificateArn?: string;
}

/**
 * The cart's AWS resources: the DynamoDB table, the ECR repository, and the least-privilege role the cart's pods
 * receive through EKS Pod Identity (or IRSA). AWS only, so it validates and applies against an emulator; the
 * Kubernetes side lives in the cart-workload stack.
 */
export class CartStack extends AwsStack {
  public readonly table: CartTable;
  public readonly repository: EcrRepository;
  public readonly identity: WorkloadIdentity;
  /** The Ingress's DNS-validated certificate (exposed, with a hostname and zone but no certificateArn). */
  public readonly certificate?: DnsValidatedCertificate;
  public readonly outputs: CartOutputs;

  constructor(scope: Construct, id: string, props: CartStackProps) {
    super(scope, id, props);
    const { cart, cluster: clusterConfig } = props.config;
    const roleName = `${clusterConfig.name}-cart`;
    if (roleName.length > 64) {
      throw new Error(
        `CartStack: role name "${roleName}" (cluster.name + "-cart") exceeds IAM's 64 characters; shorten cluster.name`,
      );
    }

    this.table = new CartTable(this, 'cart-table', {
      tableName: cart.tableName,
      region: props.config.region,
      pointInTimeRecovery: cart.pointInTimeRecovery,
      deletionProtection: cart.deletionProtection,
      encryption: cart.encryption,
      streamViewType: cart.streamViewType,
      tags: { Name: cart.tableName, Component: 'cart' },
    });

    this.repository = new EcrRepository(this, 'cart-repository', {
      repositoryName: cart.ecrRepositoryName,
      forceDelete: cart.ecrForceDelete,
    });

    this.identity = new WorkloadIdentity(this, 'cart-identity', {
      clusterName: props.cluster.clusterName,
      clusterArn: props.cluster.clusterArn,
      namespace: cart.namespace,
      serviceAccount: cart.serviceAccount,
      roleName,
      mode: cart.identity,
      oidcProvider: props.cluster.oidcProvider,
    });
    // Exactly the calls the service makes; the table is Terraform's, so no CreateTable here.
    this.table.grantReadWriteData(this.identity);
    // The Secrets Store CSI driver's AWS provider reads mounted secrets with the pod's own role.
    if (cart.secrets.length > 0) {
      const where = {
        partition: props.cluster.partition,
        region: props.config.region,
        accountId: props.cluster.accountId,
      };
      grantSecretsRead(
        this.identity,
        cart.secrets.map((secret) => secretResourceArn(secret, where)),
      );
    }

    this.certificate = ingressCertificate(this, cart);

    this.outputs = {
      tableName: this.table.tableName,
      tableArn: this.table.tableArn,
      region: props.config.region,
      roleArn: this.identity.role.arn,
      repositoryUrl: this.repository.repositoryUrl,
      identityMode: this.identity.mode,
      namespace: this.identity.namespace,
      serviceAccount: this.identity.serviceAccount,
      serviceAccountAnnotations: this.identity.serviceAccountAnnotations,
      certificateArn:
        cart.exposure === 'off' ? undefined : (cart.certificateArn ?? this.certificate?.certificateArn),
    };
    this.addOutputs(cart.imageTag);
  }

  private addOutputs(imageTag: string): void {
    const { region } = this.outputs;
    new TerraformOutput(this, 'table-name', { value: this.outputs.tableName });
    new TerraformOutput(this, 'table-arn', { value: this.outputs.tableArn });
    new TerraformOutput(this, 'role-arn', { value: this.outputs.roleArn });
    new TerraformOutput(this, 'repository-url', { value: this.outputs.repositoryUrl });
    new TerraformOutput(this, 'identity-mode', { value: this.outputs.identityMode });
    const registry = Fn.element(Fn.split('/', this.repository.repositoryUrl), 0);
    new TerraformOutput(this, 'docker-push-commands', {
      description: 'Log in to ECR and push the cart image with the configured tag',
      value: [
        `aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${registry}`,
        `docker tag retail-store/cart:${imageTag} ${this.repository.repositoryUrl}:${imageTag}`,
        `docker push ${this.repository.repositoryUrl}:${imageTag}`,
      ].join(' && '),
    });
  }
}

/** AWS-only, so the Ingress's certificate lives here rather than next to the Ingress that uses it. */
function ingressCertificate(
  scope: Construct,
  cart: EnvironmentConfig['cart'],
): DnsValidatedCertificate | undefined {
  if (cart.exposure === 'off' || cart.certificateArn !== undefined) return undefined;
  if (cart.hostname === undefined || cart.hostedZoneId === undefined) return undefined;
  return new DnsValidatedCertificate(scope, 'cart-certificate', {
    hostname: cart.hostname,
    hostedZoneId: cart.hostedZoneId,
    tags: { Name: cart.hostname, Component: 'cart' },
  });
}
