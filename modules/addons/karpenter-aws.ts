import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksNodeRole } from '../eks-node-role';
import type { AddonCluster } from './addon';
import { AddonIdentity } from './addon-identity';
import { policyDocument } from '../iam-policy';
import { karpenterControllerPolicies } from './karpenter-iam';
import { KarpenterInterruptionQueue } from './karpenter-interruption-queue';

/** The tag Karpenter's EC2NodeClass selects subnets and security groups by; its value is the cluster's name. */
export const KARPENTER_DISCOVERY_TAG = 'karpenter.sh/discovery';

export interface KarpenterAwsProps {
  /** The cluster (references). */
  readonly cluster: AddonCluster;
  /** The cluster's name known at synth: names, and the IAM condition keys that embed it. */
  readonly clusterNameLiteral: string;
  /** Namespace of the controller's service account. */
  readonly namespace: string;
  /** The controller's service account (the Pod Identity association names it). */
  readonly serviceAccount: string;
  /**
   * The security group Karpenter's nodes get (the EKS cluster security group, which the managed nodes use), tagged
   * for discovery. @default - none tagged (the EC2NodeClass then finds no security group)
   */
  readonly nodeSecurityGroupId?: string;
}

/**
 * Karpenter's AWS side, as upstream's getting-started template builds it: the node role (with an EC2_LINUX access
 * entry, so instances it launches can join), the interruption queue and its EventBridge rules, and the
 * controller's Pod Identity role with the template's six policies scoped to this cluster, this node role and
 * this queue.
 */
export class KarpenterAws extends Construct {
  public readonly nodeRole: EksNodeRole;
  public readonly accessEntry: EksAccessEntry;
  public readonly interruption: KarpenterInterruptionQueue;
  public readonly controller: AddonIdentity;
  public readonly securityGroupTag?: Ec2Tag;

  constructor(scope: Construct, id: string, props: KarpenterAwsProps) {
    super(scope, id);
    const { cluster, clusterNameLiteral: name } = props;
    if (Token.isUnresolved(name) || !/^[\w-]{1,29}$/.test(name)) {
      throw new Error(
        `KarpenterAws clusterNameLiteral: "${name}" must be a plain name of 1-29 letters, digits, - and _ ` +
          '(IAM condition keys embed it; EventBridge rule names append up to 35 characters and allow 64)',
      );
    }
    this.nodeRole = new EksNodeRole(this, 'node-role', {
      name: `${name}-karpenter-node`,
      partition: cluster.partition,
    });
    this.accessEntry = new EksAccessEntry(this, 'node-access-entry', {
      clusterName: cluster.clusterName,
      principalArn: this.nodeRole.role.arn,
      type: 'EC2_LINUX',
    });
    this.interruption = new KarpenterInterruptionQueue(this, 'interruption', {
      queueName: name,
      rulePrefix: `${name}-karpenter`,
    });
    const region = new DataAwsRegion(this, 'region').name;
    this.controller = new AddonIdentity(this, 'controller', {
      cluster,
      addonId: 'karpenter',
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleName: `${name}-karpenter`,
      iam: {
        customerPolicies: Object.entries(
          karpenterControllerPolicies({
            clusterName: name,
            partition: cluster.partition,
            region,
            accountId: cluster.accountId,
            nodeRoleArn: this.nodeRole.role.arn,
            queueArn: this.interruption.queue.arn,
          }),
        ).map(([policyName, statements]) => ({ name: policyName, document: policyDocument(statements) })),
      },
    });
    if (props.nodeSecurityGroupId !== undefined) {
      this.securityGroupTag = new Ec2Tag(this, 'security-group-discovery-tag', {
        resourceId: props.nodeSecurityGroupId,
        key: KARPENTER_DISCOVERY_TAG,
        value: name,
      });
    }
  }
}
