import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { DNS_LABEL } from '@cart-platform/service/validators';
import { policyDocument, type PolicyStatement, type TrustStatement } from './iam-policy';
import { requireFormat } from './validate';

/** The service principal of EKS Pod Identity. */
export const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';
/** Pod Identity needs both: AssumeRole for the credentials, TagSession for the session tags it adds. */
export const POD_IDENTITY_TRUST_ACTIONS = ['sts:AssumeRole', 'sts:TagSession'] as const;
export const IDENTITY_MODES = ['pod-identity', 'irsa'] as const;
export type IdentityMode = (typeof IDENTITY_MODES)[number];
/** The annotation IRSA reads on a ServiceAccount. */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** The cluster's OIDC provider, for IRSA. */
export interface OidcProviderRef {
  /** ARN of the IAM OIDC provider. */
  readonly arn: string;
  /** Issuer host and path, without `https://`. */
  readonly issuer: string;
}

export interface WorkloadIdentityProps {
  /** The EKS cluster's name. */
  readonly clusterName: string;
  /** The EKS cluster's ARN (scopes the Pod Identity trust through the `eks-cluster-arn` session tag). */
  readonly clusterArn: string;
  /** Kubernetes namespace of the service account. */
  readonly namespace: string;
  /** Kubernetes service account the pods run as. */
  readonly serviceAccount: string;
  /** IAM role name. */
  readonly roleName: string;
  /**
   * How pods receive the role: an EKS Pod Identity association, or IRSA (OIDC trust + ServiceAccount annotation).
   * @default 'pod-identity'
   */
  readonly mode?: IdentityMode;
  /** The cluster's OIDC provider; required when `mode` is `irsa`. @default - none */
  readonly oidcProvider?: OidcProviderRef;
  /** Managed or customer policy ARNs to attach. @default [] */
  readonly managedPolicyArns?: readonly string[];
  /** Inline policy statements. @default - none; add more with addToPolicy() */
  readonly statements?: readonly PolicyStatement[];
  /**
   * In mode `pod-identity`, create the `aws_eks_pod_identity_association`. False when something else binds the
   * role to the service account (an EKS add-on's own `pod_identity_association` block).
   * @default true
   */
  readonly createAssociation?: boolean;
}

/**
 * The AWS identity of one Kubernetes service account: an IAM role trusted only by that service account of that
 * cluster, plus the Pod Identity association (or, for IRSA, the annotation the ServiceAccount must carry).
 */
export class WorkloadIdentity extends Construct {
  public readonly role: IamRole;
  public readonly mode: IdentityMode;
  public readonly namespace: string;
  public readonly serviceAccount: string;
  /** The Pod Identity association (mode `pod-identity`). */
  public readonly association?: EksPodIdentityAssociation;
  /** Annotations the ServiceAccount must carry (`eks.amazonaws.com/role-arn` for IRSA; empty for Pod Identity). */
  public readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  private readonly statements: PolicyStatement[];
  private inlinePolicy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    this.mode = props.mode ?? 'pod-identity';
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;
    validate(props, this.mode);
    this.statements = [];

    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `${this.mode} role of ${props.namespace}/${props.serviceAccount} in ${props.clusterName}`,
      assumeRolePolicy: policyDocument([trustStatement(props, this.mode)]),
    });
    (props.managedPolicyArns ?? []).forEach((arn, i) => {
      new IamRolePolicyAttachment(this, `managed-policy-${i}`, { role: this.role.name, policyArn: arn });
    });
    if (this.mode === 'pod-identity' && (props.createAssociation ?? true)) {
      this.association = new EksPodIdentityAssociation(this, 'association', {
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleArn: this.role.arn,
      });
    }
    this.serviceAccountAnnotations = this.mode === 'irsa' ? { [IRSA_ROLE_ANNOTATION]: this.role.arn } : {};
    (props.statements ?? []).forEach((statement) => this.addToPolicy(statement));
  }

  /**
   * Adds a statement to the role's inline policy. The policy is created with the first statement and renders
   * lazily, so grants added after construction are included and a role without statements has no empty policy.
   */
  public addToPolicy(statement: PolicyStatement): void {
    this.statements.push(statement);
    this.inlinePolicy ??= new IamRolePolicy(this, 'policy', {
      name: 'least-privilege',
      role: this.role.id,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });
  }

  /** The statements of the role's inline policy so far (for tests and guardrails). */
  public get policyStatements(): readonly PolicyStatement[] {
    return this.statements;
  }
}

function trustStatement(props: WorkloadIdentityProps, mode: IdentityMode): TrustStatement {
  if (mode === 'pod-identity') {
    return {
      sid: 'EksPodIdentity',
      principals: { Service: POD_IDENTITY_PRINCIPAL },
      actions: POD_IDENTITY_TRUST_ACTIONS,
      // The session tags EKS Pod Identity sets on every AssumeRole: only this cluster's pods of this service
      // account may use the role, even if someone associates it elsewhere. EKS documents these keys (not
      // aws:SourceArn) for Pod Identity trust: Amazon EKS User Guide, "Create IAM role with trust policy required by
      // EKS Pod Identity", https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html (actions
      // sts:AssumeRole + sts:TagSession; conditions on aws:RequestTag/<tag>, tags listed in pod-id-abac.html).
      conditions: {
        StringEquals: {
          'aws:RequestTag/eks-cluster-arn': props.clusterArn,
          'aws:RequestTag/kubernetes-namespace': props.namespace,
          'aws:RequestTag/kubernetes-service-account': props.serviceAccount,
        },
      },
    };
  }
  const oidc = props.oidcProvider as OidcProviderRef;
  return {
    sid: 'EksIrsa',
    principals: { Federated: oidc.arn },
    actions: ['sts:AssumeRoleWithWebIdentity'],
    conditions: {
      StringEquals: {
        [`${oidc.issuer}:sub`]: `system:serviceaccount:${props.namespace}:${props.serviceAccount}`,
        [`${oidc.issuer}:aud`]: 'sts.amazonaws.com',
      },
    },
  };
}

function validate(props: WorkloadIdentityProps, mode: string): void {
  if (!(IDENTITY_MODES as readonly string[]).includes(mode)) {
    throw new Error(`WorkloadIdentity mode: "${mode}" not allowed; use ${IDENTITY_MODES.join(' or ')}`);
  }
  if (mode === 'irsa' && props.oidcProvider === undefined) {
    throw new Error(
      `WorkloadIdentity ${props.roleName}: mode "irsa" needs oidcProvider (the cluster's IAM OIDC provider)`,
    );
  }
  requireFormat('WorkloadIdentity', 'namespace', DNS_LABEL, props.namespace);
  requireFormat('WorkloadIdentity', 'serviceAccount', DNS_LABEL, props.serviceAccount);
}
