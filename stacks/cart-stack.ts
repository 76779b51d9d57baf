import { Fn, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { secretResourceArn } from '../modules/secret-arns';
import { CART_INSTANCE_INFIX, CartInstance, instanceTablesStatement } from '../modules/cart-instance';
import { CartTable, KEY_ACTIONS } from '../modules/cart-table';
import { DnsValidatedCertificate } from '../modules/dns-validated-certificate';
import { EcrRepository } from '../modules/ecr-repository';
import { grantSecretsRead } from '../modules/secret-grants';
import { WorkloadIdentity, type IdentityMode } from '../modules/workload-identity';
import { cartInstancesOf, type ResolvedCartInstance } from './config/cart-instances';
import type { EnvironmentConfig } from './config/schema';
import { AwsStack, type EnvironmentStackProps } from './environment-stack';
import type { ClusterOutputs } from './cluster-stack';

export interface CartStackProps extends EnvironmentStackProps {
  /** The cluster stack's outputs. */
  readonly cluster: ClusterOutputs;
}

/** One cart instance as the workload stack needs it (cross-stack references). */
export interface CartInstanceOutputs {
  /** The instance's name; `undefined` for the implicit instance (an empty `cart.instances`). */
  readonly name?: string;
  /** The table's name, as the table resource reports it. */
  readonly tableName: string;
  readonly tableArn: string;
  /** The IAM role the instance's pods receive. */
  readonly roleArn: string;
  /** Namespace and service account the role is bound to (the workload must use exactly these). */
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Annotations the ServiceAccount must carry (the role ARN for IRSA; none for Pod Identity). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
}

/** What the cart's workload stack needs (cross-stack references). */
export interface CartOutputs {
  /** The region of the tables (the AWS provider's region). */
  readonly region: string;
  /** The ECR repository URL, without a tag (shared by every instance). */
  readonly repositoryUrl: string;
  readonly identityMode: IdentityMode;
  /** The Ingress's certificate: `cart.certificateArn`, or the one this stack validated; none when not exposed. */
  readonly certificateArn?: string;
  /** The instances, in `cart.instances` order; the implicit instance alone by default. */
  readonly instances: readonly CartInstanceOutputs[];
  /** The names of the cart's tables: the table's own name, or `<cluster>-carts-*` with instances. */
  readonly tableNamePattern: string;
}

/**
 * The cart's AWS resources: the DynamoDB table, the ECR repository, and the least-privilege role the cart's pods
 * receive through EKS Pod Identity (or IRSA). AWS only, so it validates and applies against an emulator; the
 * Kubernetes side lives in the cart-workload stack. With `cart.instances`, one table and association per team
 * instance and one role for all of them (or one each): see docs/cart.md, "Team instances".
 */
export class CartStack extends AwsStack {
  /** The implicit instance's table (an empty `cart.instances`). */
  public readonly table?: CartTable;
  public readonly repository: EcrRepository;
  /** The implicit instance's role, or the role the instances share (role mode `shared`). */
  public readonly identity?: WorkloadIdentity;
  /** The team instances (`cart.instances`), in order. */
  public readonly instances: readonly CartInstance[];
  /** The Ingress's DNS-validated certificate (exposed, with a hostname and zone but no certificateArn). */
  public readonly certificate?: DnsValidatedCertificate;
  public readonly outputs: CartOutputs;

  constructor(scope: Construct, id: string, props: CartStackProps) {
    super(scope, id, props);
    const { cart } = props.config;
    if (cart.instances.length > 0) {
      this.repository = cartRepository(this, cart);
      const built = buildInstances(this, props);
      this.identity = built.sharedIdentity;
      this.instances = built.instances;
      this.grantSecrets(props, built.identities);
      this.outputs = {
        region: props.config.region,
        repositoryUrl: this.repository.repositoryUrl,
        identityMode: cart.identity,
        certificateArn: cart.exposure === 'off' ? undefined : cart.certificateArn,
        instances: this.instances.map((instance, i) => instanceOutputs(instance, cart.instances[i]?.name)),
        tableNamePattern: `${props.config.cluster.name}${CART_INSTANCE_INFIX}*`,
      };
      this.addInstanceOutputs(cart.imageTag, built.sharedIdentity);
      return;
    }
    const roleName = `${props.config.cluster.name}-cart`;
    requireRoleName(roleName, 'cluster.name + "-cart"');
    const table = new CartTable(this, 'cart-table', {
      tableName: cart.tableName,
      region: props.config.region,
      pointInTimeRecovery: cart.pointInTimeRecovery,
      deletionProtection: cart.deletionProtection,
      encryption: cart.encryption,
      streamViewType: cart.streamViewType,
      tags: { Name: cart.tableName, Component: 'cart' },
    });
    this.table = table;
    this.repository = cartRepository(this, cart);
    const identity = new WorkloadIdentity(this, 'cart-identity', {
      ...identityProps(props),
      namespace: cart.namespace,
      serviceAccount: cart.serviceAccount,
      roleName,
    });
    this.identity = identity;
    this.instances = [];
    // Exactly the calls the service makes; the table is Terraform's, so no CreateTable here.
    table.grantReadWriteData(identity);
    this.grantSecrets(props, [identity]);
    this.certificate = ingressCertificate(this, cart);
    this.outputs = {
      region: props.config.region,
      repositoryUrl: this.repository.repositoryUrl,
      identityMode: identity.mode,
      certificateArn:
        cart.exposure === 'off' ? undefined : (cart.certificateArn ?? this.certificate?.certificateArn),
      instances: [
        {
          tableName: table.tableName,
          tableArn: table.tableArn,
          roleArn: identity.role.arn,
          namespace: identity.namespace,
          serviceAccount: identity.serviceAccount,
          serviceAccountAnnotations: identity.serviceAccountAnnotations,
        },
      ],
      tableNamePattern: cart.tableName,
    };
    this.addOutputs(cart.imageTag, table, identity);
  }

  /** The Secrets Store CSI driver's AWS provider reads mounted secrets with the pod's own role. */
  private grantSecrets(props: CartStackProps, identities: readonly WorkloadIdentity[]): void {
    const { secrets } = props.config.cart;
    if (secrets.length === 0) return;
    const where = {
      partition: props.cluster.partition,
      region: props.config.region,
      accountId: props.cluster.accountId,
    };
    for (const identity of identities) {
      grantSecretsRead(
        identity,
        secrets.map((secret) => secretResourceArn(secret, where)),
      );
    }
  }

  private addOutputs(imageTag: string, table: CartTable, identity: WorkloadIdentity): void {
    new TerraformOutput(this, 'table-name', { value: table.tableName });
    new TerraformOutput(this, 'table-arn', { value: table.tableArn });
    new TerraformOutput(this, 'role-arn', { value: identity.role.arn });
    this.addSharedOutputs(imageTag);
  }

  private addInstanceOutputs(imageTag: string, sharedIdentity: WorkloadIdentity | undefined): void {
    for (const instance of this.outputs.instances) {
      new TerraformOutput(this, `table-name-${instance.name}`, { value: instance.tableName });
    }
    if (sharedIdentity !== undefined) {
      new TerraformOutput(this, 'role-arn', { value: sharedIdentity.role.arn });
    }
    this.addSharedOutputs(imageTag);
  }

  private addSharedOutputs(imageTag: string): void {
    const { region } = this.outputs;
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

function requireRoleName(roleName: string, derivedFrom: string): void {
  if (roleName.length > 64) {
    throw new Error(
      `CartStack: role name "${roleName}" (${derivedFrom}) exceeds IAM's 64 characters; shorten cluster.name`,
    );
  }
}

function cartRepository(scope: Construct, cart: EnvironmentConfig['cart']): EcrRepository {
  return new EcrRepository(scope, 'cart-repository', {
    repositoryName: cart.ecrRepositoryName,
    forceDelete: cart.ecrForceDelete,
  });
}

/** The identity settings every cart role shares: cluster, mode, OIDC provider. */
function identityProps(props: CartStackProps) {
  return {
    clusterName: props.cluster.clusterName,
    clusterArn: props.cluster.clusterArn,
    mode: props.config.cart.identity,
    oidcProvider: props.cluster.oidcProvider,
  };
}

/**
 * The team instances and their roles: one shared role (trusted by every instance's service account, scoped to the
 * `<cluster>-carts-*` tables) with one association per namespace, or one role per instance.
 */
function buildInstances(scope: Construct, props: CartStackProps) {
  const { config } = props;
  const resolved = cartInstancesOf(config);
  let sharedIdentity: WorkloadIdentity | undefined;
  if (config.cart.roleMode === 'shared') {
    const [first, ...rest] = resolved as [ResolvedCartInstance, ...ResolvedCartInstance[]];
    const roleName = `${config.cluster.name}-carts`;
    requireRoleName(roleName, 'cluster.name + "-carts"');
    sharedIdentity = new WorkloadIdentity(scope, 'carts-identity', {
      ...identityProps(props),
      namespace: first.namespace,
      serviceAccount: first.serviceAccount,
      additionalServiceAccounts: rest.map((i) => ({
        namespace: i.namespace,
        serviceAccount: i.serviceAccount,
      })),
      roleName,
      // Each instance binds its own namespace, so that adding one instance adds one association.
      createAssociation: false,
      statements: [
        instanceTablesStatement({
          partition: props.cluster.partition,
          region: config.region,
          accountId: config.account.id,
          clusterName: config.cluster.name,
        }),
      ],
    });
  }
  const shared = sharedIdentity && { roleArn: sharedIdentity.role.arn, mode: sharedIdentity.mode };
  const instances = resolved.map(
    (instance) =>
      new CartInstance(scope, instance.constructId, {
        instanceName: instance.name ?? '',
        clusterName: config.cluster.name,
        clusterArn: props.cluster.clusterArn,
        namespace: instance.namespace,
        serviceAccount: instance.serviceAccount,
        region: config.region,
        tableOptions: {
          pointInTimeRecovery: config.cart.pointInTimeRecovery,
          deletionProtection: config.cart.deletionProtection,
          encryption: config.cart.encryption,
          streamViewType: config.cart.streamViewType,
        },
        sharedRole: shared,
        identityMode: config.cart.identity,
        oidcProvider: props.cluster.oidcProvider,
      }),
  );
  if (sharedIdentity !== undefined) grantInstanceKeys(sharedIdentity, instances, config.region);
  const identities = sharedIdentity ? [sharedIdentity] : instances.map((i) => i.identity as WorkloadIdentity);
  return { sharedIdentity, instances, identities };
}

/** Customer-managed table keys: the shared role may use each instance's key, through DynamoDB only. */
function grantInstanceKeys(
  identity: WorkloadIdentity,
  instances: readonly CartInstance[],
  region: string,
): void {
  const keys = instances.flatMap((i) => (i.table.encryptionKey ? [i.table.encryptionKey.arn] : []));
  if (keys.length === 0) return;
  identity.addToPolicy({
    sid: 'CartInstanceTablesKeys',
    actions: KEY_ACTIONS.readWrite,
    resources: keys,
    conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${region}.amazonaws.com` } },
  });
}

function instanceOutputs(instance: CartInstance, name: string | undefined): CartInstanceOutputs {
  return {
    name,
    tableName: instance.tableName,
    tableArn: instance.table.tableArn,
    roleArn: instance.roleArn,
    namespace: instance.namespace,
    serviceAccount: instance.serviceAccount,
    serviceAccountAnnotations: instance.serviceAccountAnnotations,
  };
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
