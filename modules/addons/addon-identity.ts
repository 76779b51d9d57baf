import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { managedPolicyArn } from '../aws-arns';
import { WorkloadIdentity } from '../workload-identity';
import type { AddonCluster, AddonDescription } from './addon';

export interface AddonIdentityProps {
  /** The cluster the identity is scoped to. */
  readonly cluster: AddonCluster;
  /** The add-on; it must name a service account and IAM permissions. */
  readonly addon: AddonDescription;
  /** IAM role name (customer policies are named `<roleName>-<policy name>`). */
  readonly roleName: string;
}

/**
 * The AWS identity of an add-on: an IAM role trusted by EKS Pod Identity for this cluster only, its policies
 * (AWS-managed, customer-managed from committed documents, inline statements), and the Pod Identity association
 * for exactly the namespace and service account the add-on's description names.
 */
export class AddonIdentity extends Construct {
  public readonly identity: WorkloadIdentity;
  /** Customer-managed policies created for the add-on, by name. */
  public readonly customerPolicies: Readonly<Record<string, IamPolicy>>;
  public readonly namespace: string;
  public readonly serviceAccount: string;

  constructor(scope: Construct, id: string, props: AddonIdentityProps) {
    super(scope, id);
    const { addon, cluster } = props;
    validate(props);
    this.namespace = addon.namespace;
    this.serviceAccount = addon.serviceAccount as string;
    const iam = addon.iam ?? {};

    const customerPolicies: Record<string, IamPolicy> = {};
    for (const policy of iam.customerPolicies ?? []) {
      customerPolicies[policy.name] = new IamPolicy(this, `policy-${policy.name}`, {
        name: `${props.roleName}-${policy.name}`,
        description: `${addon.id}: upstream policy, committed to the repository`,
        policy: policy.document,
      });
    }
    this.customerPolicies = customerPolicies;

    this.identity = new WorkloadIdentity(this, 'identity', {
      clusterName: cluster.clusterName,
      clusterArn: cluster.clusterArn,
      accountId: cluster.accountId,
      namespace: addon.namespace,
      serviceAccount: this.serviceAccount,
      roleName: props.roleName,
      mode: 'pod-identity',
      managedPolicyArns: [
        ...(iam.managedPolicies ?? []).map((name) => managedPolicyArn(cluster.partition, name)),
        ...Object.values(customerPolicies).map((p) => p.arn),
      ],
      statements: iam.statements ?? [],
    });
  }
}

function validate(props: AddonIdentityProps): void {
  const { addon, roleName } = props;
  if (addon.serviceAccount === undefined || addon.iam === undefined) {
    throw new Error(
      `AddonIdentity addon: "${addon.id}" names no serviceAccount or iam; only add-ons that call AWS APIs get an identity`,
    );
  }
  if (!Token.isUnresolved(roleName) && !/^[\w+=,.@-]{1,64}$/.test(roleName)) {
    throw new Error(
      `AddonIdentity roleName: "${roleName}" is not an IAM role name (1-64 of letters, digits and +=,.@_-)`,
    );
  }
}
