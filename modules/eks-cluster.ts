import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksCluster as EksClusterResource } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { managedPolicyArn } from './aws-arns';
import { policyDocument } from './iam-policy';

/** Every control-plane log type EKS offers. */
export const CONTROL_PLANE_LOG_TYPES = [
  'api',
  'audit',
  'authenticator',
  'controllerManager',
  'scheduler',
] as const;
export type ControlPlaneLogType = (typeof CONTROL_PLANE_LOG_TYPES)[number];

export interface EksClusterProps {
  /** Cluster name. */
  readonly name: string;
  /** Kubernetes minor version, e.g. `1.34`. */
  readonly kubernetesVersion: string;
  /** Subnets for the control plane's network interfaces (the private subnets). */
  readonly subnetIds: string[];
  /** The AWS partition (`aws`, `aws-us-gov`, `aws-cn`). */
  readonly partition: string;
  /**
   * Whether the API endpoint is reachable from the internet (nodes always use the private endpoint).
   * @default true
   */
  readonly endpointPublicAccess?: boolean;
  /**
   * CIDRs allowed to reach the public endpoint.
   * @default ['0.0.0.0/0']
   */
  readonly publicAccessCidrs?: string[];
  /**
   * Control-plane log types sent to CloudWatch.
   * @default - all five
   */
  readonly logTypes?: readonly ControlPlaneLogType[];
  /**
   * Retention of the control-plane log group, in days.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Refuse `terraform destroy` of the cluster (Terraform `prevent_destroy`; the aws provider 5.x has no EKS
   * deletion-protection argument).
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * Make the identity that creates the cluster its admin (an access entry EKS creates; cannot change afterwards).
   * @default true
   */
  readonly creatorAdmin?: boolean;
  /**
   * What happens when the version leaves standard support: `STANDARD` auto-upgrades it at the end of standard
   * support, `EXTENDED` keeps it for 12 more months at the extended-support price. Set explicitly, since the EKS
   * API's default is EXTENDED.
   * @default 'STANDARD'
   */
  readonly upgradePolicy?: UpgradeSupportType;
}

export const UPGRADE_SUPPORT_TYPES = ['STANDARD', 'EXTENDED'] as const;
export type UpgradeSupportType = (typeof UPGRADE_SUPPORT_TYPES)[number];

/**
 * An EKS cluster as the guide builds it, with the production settings the guide leaves out: secrets encrypted with
 * a rotating customer KMS key, every control-plane log type, API authentication with access entries, and the
 * cluster's IAM OIDC provider so IRSA stays available next to Pod Identity.
 */
export class EksCluster extends Construct {
  public readonly cluster: EksClusterResource;
  public readonly role: IamRole;
  public readonly secretsKey: KmsKey;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly oidcProvider: IamOpenidConnectProvider;
  /** The OIDC issuer without `https://`, as IRSA trust conditions need it. */
  public readonly oidcIssuer: string;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const publicAccess = props.endpointPublicAccess ?? true;
    const publicAccessCidrs = props.publicAccessCidrs ?? ['0.0.0.0/0'];
    const logTypes = props.logTypes ?? CONTROL_PLANE_LOG_TYPES;
    validate(props, logTypes);

    this.role = new IamRole(this, 'role', {
      name: `${props.name}-cluster`,
      assumeRolePolicy: policyDocument([
        { principals: { Service: 'eks.amazonaws.com' }, actions: ['sts:AssumeRole', 'sts:TagSession'] },
      ]),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-policy', {
      role: this.role.name,
      policyArn: managedPolicyArn(props.partition, 'AmazonEKSClusterPolicy'),
    });

    this.secretsKey = new KmsKey(this, 'secrets-key', {
      description: `Envelope encryption of Kubernetes secrets in EKS cluster ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, 'secrets-key-alias', {
      name: `alias/${props.name}-eks-secrets`,
      targetKeyId: this.secretsKey.keyId,
    });

    // Created before the cluster, so EKS writes into a group with our retention instead of creating its own.
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/eks/${props.name}/cluster`,
      retentionInDays: props.logRetentionDays ?? 30,
    });

    this.cluster = new EksClusterResource(this, 'cluster', {
      name: props.name,
      version: props.kubernetesVersion,
      roleArn: this.role.arn,
      enabledClusterLogTypes: [...logTypes],
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccess,
        publicAccessCidrs: publicAccess ? publicAccessCidrs : undefined,
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.secretsKey.arn } },
      accessConfig: {
        authenticationMode: 'API',
        bootstrapClusterCreatorAdminPermissions: props.creatorAdmin ?? true,
      },
      upgradePolicy: { supportType: props.upgradePolicy ?? 'STANDARD' },
      // Core add-ons are managed as EKS add-ons by the cluster stack, not left as unmanaged self-installed ones.
      bootstrapSelfManagedAddons: false,
      dependsOn: [clusterPolicy, this.logGroup],
      lifecycle: { preventDestroy: props.deletionProtection ?? false },
    });

    const issuerUrl = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcIssuer = Fn.replace(issuerUrl, 'https://', '');
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc-provider', {
      url: issuerUrl,
      clientIdList: ['sts.amazonaws.com'],
    });
  }
}

function validate(props: EksClusterProps, logTypes: readonly string[]): void {
  if (!Token.isUnresolved(props.kubernetesVersion) && !/^1\.\d{2}$/.test(props.kubernetesVersion)) {
    throw new Error(
      `EksCluster kubernetesVersion: "${props.kubernetesVersion}" must be a minor version such as 1.34`,
    );
  }
  const unknown = logTypes.filter((t) => !(CONTROL_PLANE_LOG_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0) {
    throw new Error(
      `EksCluster logTypes: ${unknown.join(', ')} not allowed; use ${CONTROL_PLANE_LOG_TYPES.join(', ')}`,
    );
  }
  const upgradePolicy = props.upgradePolicy ?? 'STANDARD';
  if (!(UPGRADE_SUPPORT_TYPES as readonly string[]).includes(upgradePolicy)) {
    throw new Error(
      `EksCluster upgradePolicy: "${upgradePolicy}" not allowed; use ${UPGRADE_SUPPORT_TYPES.join(' or ')}`,
    );
  }
  if ((props.endpointPublicAccess ?? true) && props.publicAccessCidrs?.length === 0) {
    throw new Error(
      'EksCluster publicAccessCidrs: empty with endpointPublicAccess=true; give CIDRs or disable public access',
    );
  }
}
