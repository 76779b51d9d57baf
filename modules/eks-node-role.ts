import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { managedPolicyArn } from './aws-arns';
import { policyDocument } from './iam-policy';

/** The managed policies every EKS worker node needs (SSM for shell access without SSH keys). */
export const NODE_MANAGED_POLICIES = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEKS_CNI_Policy',
  'AmazonEC2ContainerRegistryReadOnly',
  'AmazonSSMManagedInstanceCore',
] as const;

export interface EksNodeRoleProps {
  /** Role name. */
  readonly name: string;
  /** The AWS partition. */
  readonly partition: string;
}

/** The EC2 instance role of the managed node groups. */
export class EksNodeRole extends Construct {
  public readonly role: IamRole;
  /** The policy attachments; node groups depend on them so nodes never start without permissions. */
  public readonly attachments: readonly IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: EksNodeRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.name,
      assumeRolePolicy: policyDocument([
        { principals: { Service: 'ec2.amazonaws.com' }, actions: ['sts:AssumeRole'] },
      ]),
    });
    this.attachments = NODE_MANAGED_POLICIES.map(
      (policy) =>
        new IamRolePolicyAttachment(this, policy, {
          role: this.role.name,
          policyArn: managedPolicyArn(props.partition, policy),
        }),
    );
  }
}
