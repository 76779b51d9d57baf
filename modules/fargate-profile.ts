import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { EksFargateProfile } from '@cdktf/provider-aws/lib/eks-fargate-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { managedPolicyArn } from './aws-arns';
import { policyDocument } from './iam-policy';
import { DNS_LABEL } from '@cart-platform/service/validators';

/** The AWS-managed policy of a Fargate pod execution role (pull images from ECR, write logs). */
export const FARGATE_POD_EXECUTION_POLICY = 'AmazonEKSFargatePodExecutionRolePolicy';

export interface FargateProfileProps {
  /** The cluster's name (a reference is fine). */
  readonly clusterName: string;
  /** The cluster's name known at synth: the trust condition's ARN pattern and the role name embed it. */
  readonly clusterNameLiteral: string;
  /** Profile name (also ends the role name `<cluster>-fargate-<name>`). */
  readonly name: string;
  /** The namespace whose pods run on Fargate. */
  readonly namespace: string;
  /** Only pods with these labels (all of them) run on Fargate. @default {} (every pod of the namespace) */
  readonly labels?: Readonly<Record<string, string>>;
  /** The private subnets (Fargate pods get no public IP; a public subnet is refused by EKS). */
  readonly subnetIds: readonly string[];
  /** The AWS partition. */
  readonly partition: string;
  /** The cluster's region. */
  readonly region: string;
  /** The account owning the cluster. */
  readonly accountId: string;
}

/**
 * An EKS Fargate profile and its pod execution role: trusted by `eks-fargate-pods.amazonaws.com` only for the
 * Fargate profiles of this cluster (the `aws:SourceArn` condition AWS documents against the confused deputy), with
 * `AmazonEKSFargatePodExecutionRolePolicy`. EKS creates the role's access entry itself. Pods on Fargate get no
 * EKS Pod Identity (the agent is a DaemonSet): they need IRSA for AWS credentials.
 */
export class FargateProfile extends Construct {
  public readonly role: IamRole;
  public readonly attachment: IamRolePolicyAttachment;
  public readonly profile: EksFargateProfile;

  constructor(scope: Construct, id: string, props: FargateProfileProps) {
    super(scope, id);
    validate(props);
    const { partition, region, accountId, clusterNameLiteral: cluster } = props;
    this.role = new IamRole(this, 'pod-execution-role', {
      name: `${cluster}-fargate-${props.name}`,
      assumeRolePolicy: policyDocument([
        {
          principals: { Service: 'eks-fargate-pods.amazonaws.com' },
          actions: ['sts:AssumeRole'],
          conditions: {
            ArnLike: {
              'aws:SourceArn': `arn:${partition}:eks:${region}:${accountId}:fargateprofile/${cluster}/*`,
            },
          },
        },
      ]),
    });
    this.attachment = new IamRolePolicyAttachment(this, 'pod-execution-policy', {
      role: this.role.name,
      policyArn: managedPolicyArn(partition, FARGATE_POD_EXECUTION_POLICY),
    });
    this.profile = new EksFargateProfile(this, 'profile', {
      clusterName: props.clusterName,
      fargateProfileName: props.name,
      podExecutionRoleArn: this.role.arn,
      subnetIds: [...props.subnetIds],
      selector: [
        {
          namespace: props.namespace,
          ...(props.labels !== undefined &&
            Object.keys(props.labels).length > 0 && { labels: { ...props.labels } }),
        },
      ],
      dependsOn: [this.attachment],
    });
  }
}

function validate(props: FargateProfileProps): void {
  for (const [prop, value] of [
    ['name', props.name],
    ['namespace', props.namespace],
  ] as const) {
    if (!Token.isUnresolved(value) && !DNS_LABEL.pattern.test(value)) {
      throw new Error(`FargateProfile ${prop}: "${value}" must be a DNS label (a-z, 0-9, -; at most 63)`);
    }
  }
  if (Token.isUnresolved(props.clusterNameLiteral)) {
    throw new Error('FargateProfile clusterNameLiteral: must be the plain cluster name, not a reference');
  }
  if (props.subnetIds.length === 0) {
    throw new Error('FargateProfile subnetIds: [] — give the private subnets');
  }
}
