import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { managedPolicyArn } from '../aws-arns';
import { WorkloadIdentity } from '../workload-identity';
import type { AddonCluster, AddonIam, AddonIdentityOutputs } from './addon';

export interface AddonIdentityProps {
  /** The cluster the identity is scoped to. */
  readonly cluster: AddonCluster;
  /** The add-on's id, named in the descriptions of its customer-managed policies. */
  readonly addonId: string;
  /** Namespace of the add-on's service account. */
  readonly namespace: string;
  /** The service account the add-on's AWS-calling pods run as. */
  readonly serviceAccount: string;
  /** The role's permissions. */
  readonly iam: AddonIam;
  /** IAM role name (customer policies are named `<roleName>-<policy name>`). */
  readonly roleName: string;
  /**
   * Create the `aws_eks_pod_identity_association`. An EKS managed add-on sets false and binds the role with its
   * own `pod_identity_association` block instead.
   * @default true
   */
  readonly createAssociation?: boolean;
}

/**
 * The AWS identity of an add-on: an IAM role trusted by EKS Pod Identity for this cluster only, its policies
 * (AWS-managed, customer-managed from committed documents, inline statements), and the Pod Identity association
 * for exactly the namespace and service account the add-on runs as (unless the EKS add-on binds the role itself).
 */
export class AddonIdentity extends Construct {
  public readonly identity: WorkloadIdentity;
  /** Customer-managed policies created for the add-on, by name. */
  public readonly customerPolicies: Readonly<Record<string, IamPolicy>>;
  public readonly namespace: string;
  public readonly serviceAccount: string;
  /** What the add-on's cluster part needs (namespace, service account, role ARN). */
  public readonly outputs: AddonIdentityOutputs;

  constructor(scope: Construct, id: string, props: AddonIdentityProps) {
    super(scope, id);
    const { cluster, iam } = props;
    validate(props);
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;

    const customerPolicies: Record<string, IamPolicy> = {};
    for (const policy of iam.customerPolicies ?? []) {
      customerPolicies[policy.name] = new IamPolicy(this, `policy-${policy.name}`, {
        name: `${props.roleName}-${policy.name}`,
        description: `${props.addonId}: upstream policy, committed to the repository`,
        policy: policy.document,
      });
    }
    this.customerPolicies = customerPolicies;

    this.identity = new WorkloadIdentity(this, 'identity', {
      clusterName: cluster.clusterName,
      clusterArn: cluster.clusterArn,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleName: props.roleName,
      mode: 'pod-identity',
      createAssociation: props.createAssociation,
      managedPolicyArns: [
        ...(iam.managedPolicies ?? []).map((name) => managedPolicyArn(cluster.partition, name)),
        ...Object.values(customerPolicies).map((p) => p.arn),
      ],
      statements: iam.statements ?? [],
    });
    this.outputs = {
      namespace: this.namespace,
      serviceAccount: this.serviceAccount,
      roleArn: this.identity.role.arn,
    };
  }
}

function validate(props: AddonIdentityProps): void {
  const { roleName } = props;
  if (Token.isUnresolved(roleName)) return;
  if (!/^[\w+=,.@-]{1,64}$/.test(roleName)) {
    throw new Error(
      `AddonIdentity roleName: "${roleName}" is not an IAM role name (1-64 of letters, digits and +=,.@_-)`,
    );
  }
  for (const { name } of props.iam.customerPolicies ?? []) {
    if (!/^[\w+=,.@-]{1,128}$/.test(`${roleName}-${name}`)) {
      throw new Error(
        `AddonIdentity iam.customerPolicies: "${name}" makes the policy name "${roleName}-${name}", ` +
          'not an IAM policy name (1-128 of letters, digits and +=,.@_-)',
      );
    }
  }
}
