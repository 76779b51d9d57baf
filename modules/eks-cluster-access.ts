import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';

/** The EKS access policy that grants cluster-admin (`cluster-admin` RBAC) on the whole cluster. */
export const CLUSTER_ADMIN_ACCESS_POLICY = 'AmazonEKSClusterAdminPolicy';

export interface EksClusterAccessProps {
  /** The cluster's name (its access entries belong to it). */
  readonly clusterName: string;
  /** The AWS partition (`aws`, `aws-us-gov`, `aws-cn`), for the access policy ARN. */
  readonly partition: string;
  /** IAM role or user ARNs made cluster admins (a teammate, a break-glass role). */
  readonly admins: readonly string[];
  /** The CI deployer role, made cluster admin so it can install charts and workloads. @default - none */
  readonly deployer?: string;
}

/** One principal's way in: its access entry and the cluster-admin policy association. */
export interface ClusterAdminGrant {
  readonly principalArn: string;
  readonly entry: EksAccessEntry;
  readonly association: EksAccessPolicyAssociation;
}

/**
 * Who may use the cluster's Kubernetes API, as EKS access entries (the cluster uses `authentication_mode = API`, so
 * the `aws-auth` ConfigMap is not read). Each admin and the deployer get a STANDARD entry plus
 * `AmazonEKSClusterAdminPolicy` at cluster scope. The node role needs no entry: EKS creates the EC2_LINUX entry for
 * managed node groups itself. A principal that is also the cluster's creator with `creatorAdmin` on must not be
 * listed here: EKS already created its entry and a second one fails with `ResourceInUseException`.
 */
export class EksClusterAccess extends Construct {
  public readonly grants: readonly ClusterAdminGrant[];

  constructor(scope: Construct, id: string, props: EksClusterAccessProps) {
    super(scope, id);
    const principals = [
      ...props.admins.map((arn) => ({ arn, role: 'admin' })),
      ...(props.deployer !== undefined ? [{ arn: props.deployer, role: 'deployer' }] : []),
    ];
    validate(principals.map((p) => p.arn));
    const policyArn = `arn:${props.partition}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_ACCESS_POLICY}`;
    this.grants = principals.map(({ arn, role }) => {
      // Keyed by the principal, not its position: removing one admin must not replace everyone else's entry.
      const key = `${role}-${principalKey(arn)}`;
      const entry = new EksAccessEntry(this, key, {
        clusterName: props.clusterName,
        principalArn: arn,
        type: 'STANDARD',
      });
      const association = new EksAccessPolicyAssociation(this, `${key}-cluster-admin`, {
        clusterName: props.clusterName,
        principalArn: entry.principalArn,
        policyArn,
        accessScope: { type: 'cluster' },
      });
      return { principalArn: arn, entry, association };
    });
  }
}

/** A construct-id-safe key of a principal ARN: account and resource path (`123456789012-role-platform-admins`). */
function principalKey(arn: string): string {
  if (Token.isUnresolved(arn)) throw new Error('EksClusterAccess: principal ARNs must be literal strings');
  const [, , , , account, resource] = arn.split(':');
  return `${account}-${resource}`.replace(/[^A-Za-z0-9-]/g, '-');
}

function validate(arns: readonly string[]): void {
  const seen = new Set<string>();
  for (const arn of arns) {
    if (seen.has(arn)) {
      throw new Error(
        `EksClusterAccess: "${arn}" is listed twice (admins and deployer); EKS allows one access entry per principal`,
      );
    }
    seen.add(arn);
  }
}
