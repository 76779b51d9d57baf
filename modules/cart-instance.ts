/**
 * The AWS half of one team's cart (the workshop's kro "CartsStack"): its DynamoDB table and the binding of its
 * namespace's service account to an IAM role — the role all instances share, through a Pod Identity association
 * created here (before the workload stack creates the ServiceAccount), or a role of its own.
 */
import { Construct } from 'constructs';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { REQUIRED_DYNAMODB_ACTIONS } from '@cart-platform/service/contract';
import { AWS_ACCOUNT_ID, AWS_REGION, DNS_LABEL } from '@cart-platform/service/validators';
import { CartTable, type CartTableProps } from './cart-table';
import type { PolicyStatement } from './iam-policy';
import { requireFormat } from './validate';
import {
  IRSA_ROLE_ANNOTATION,
  WorkloadIdentity,
  type IdentityMode,
  type OidcProviderRef,
} from './workload-identity';

/** The infix of instance tables and per-instance roles: `<cluster>-carts-<instance>`. */
export const CART_INSTANCE_INFIX = '-carts-';

/** The role every instance's pods receive (role mode `shared`). */
export interface SharedCartRoleRef {
  /** Its ARN. */
  readonly roleArn: string;
  /** How pods receive it: a Pod Identity association per namespace, or the IRSA annotation. */
  readonly mode: IdentityMode;
}

/** Table settings an instance takes from the environment (all but name and region). */
export type CartInstanceTableOptions = Omit<CartTableProps, 'tableName' | 'region'>;

export interface CartInstanceProps {
  /** The instance's name (a DNS label); its table is `<clusterName>-carts-<instanceName>`. */
  readonly instanceName: string;
  /** The EKS cluster's name (the table and role name prefix, and the association's cluster). */
  readonly clusterName: string;
  /** The EKS cluster's ARN (the trust of a role of its own). */
  readonly clusterArn: string;
  /** The instance's namespace. */
  readonly namespace: string;
  /** The ServiceAccount its pods run as. */
  readonly serviceAccount: string;
  /** The region of the table. */
  readonly region: string;
  /** Point-in-time recovery, deletion protection, encryption, stream, tags. @default CartTable's defaults */
  readonly tableOptions?: CartInstanceTableOptions;
  /** The role shared by every instance. @default - a role of its own, `<clusterName>-carts-<instanceName>` */
  readonly sharedRole?: SharedCartRoleRef;
  /** How pods receive a role of its own (ignored with `sharedRole`). @default 'pod-identity' */
  readonly identityMode?: IdentityMode;
  /** The cluster's OIDC provider, for a role of its own in mode `irsa`. @default - none */
  readonly oidcProvider?: OidcProviderRef;
}

/**
 * One team's cart table and identity binding. With `sharedRole`, the instance only binds its namespace to it
 * (pod-identity: an association; irsa: the annotation); the shared role's policy covers the table by prefix. Without
 * it, the instance has a role of its own granted exactly its table.
 */
export class CartInstance extends Construct {
  public readonly table: CartTable;
  /** `<clusterName>-carts-<instanceName>`. */
  public readonly tableName: string;
  /** The role its pods receive (the shared one, or its own). */
  public readonly roleArn: string;
  public readonly identityMode: IdentityMode;
  public readonly namespace: string;
  public readonly serviceAccount: string;
  /** Its own identity (no `sharedRole`). */
  public readonly identity?: WorkloadIdentity;
  /** The Pod Identity association of its namespace (mode `pod-identity`). */
  public readonly association?: EksPodIdentityAssociation;
  /** Annotations its ServiceAccount must carry (the role ARN for IRSA; none for Pod Identity). */
  public readonly serviceAccountAnnotations: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: CartInstanceProps) {
    super(scope, id);
    requireFormat('CartInstance', 'instanceName', DNS_LABEL, props.instanceName);
    const name = `${props.clusterName}${CART_INSTANCE_INFIX}${props.instanceName}`;
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;
    this.table = new CartTable(this, 'table', {
      ...props.tableOptions,
      tableName: name,
      region: props.region,
      tags: { Name: name, Component: 'cart', CartInstance: props.instanceName, ...props.tableOptions?.tags },
    });
    this.tableName = this.table.tableName;

    if (props.sharedRole === undefined) {
      this.identity = this.ownIdentity(props, name);
      this.roleArn = this.identity.role.arn;
      this.identityMode = this.identity.mode;
      this.association = this.identity.association;
      this.serviceAccountAnnotations = this.identity.serviceAccountAnnotations;
      return;
    }
    this.roleArn = props.sharedRole.roleArn;
    this.identityMode = props.sharedRole.mode;
    if (this.identityMode === 'pod-identity') {
      this.association = new EksPodIdentityAssociation(this, 'association', {
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleArn: this.roleArn,
      });
    }
    this.serviceAccountAnnotations =
      this.identityMode === 'irsa' ? { [IRSA_ROLE_ANNOTATION]: this.roleArn } : {};
  }

  private ownIdentity(props: CartInstanceProps, roleName: string): WorkloadIdentity {
    if (roleName.length > 64) {
      throw new Error(
        `CartInstance ${props.instanceName}: role name "${roleName}" exceeds IAM's 64 characters; shorten instanceName or clusterName`,
      );
    }
    const identity = new WorkloadIdentity(this, 'identity', {
      clusterName: props.clusterName,
      clusterArn: props.clusterArn,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleName,
      mode: props.identityMode,
      oidcProvider: props.oidcProvider,
    });
    this.table.grantReadWriteData(identity);
    return identity;
  }
}

/** Where the shared role's table pattern points. */
export interface TablePrefixScope {
  /** The AWS partition (`aws`). */
  readonly partition: string;
  /** The tables' region. */
  readonly region: string;
  /** The tables' account. */
  readonly accountId: string;
  /** The cluster whose instance tables the pattern covers. */
  readonly clusterName: string;
}

/**
 * The shared role's DynamoDB statement: exactly the service's actions (its contract) on `<cluster>-carts-*` tables
 * and their indexes — every instance table, and no table outside the prefix.
 */
export function instanceTablesStatement(scope: TablePrefixScope): PolicyStatement {
  requireFormat('instanceTablesStatement', 'region', AWS_REGION, scope.region);
  requireFormat('instanceTablesStatement', 'accountId', AWS_ACCOUNT_ID, scope.accountId);
  const tables = `arn:${scope.partition}:dynamodb:${scope.region}:${scope.accountId}:table/${scope.clusterName}${CART_INSTANCE_INFIX}*`;
  return {
    sid: 'CartInstanceTablesReadWriteData',
    actions: REQUIRED_DYNAMODB_ACTIONS,
    resources: [tables, `${tables}/index/*`],
  };
}
