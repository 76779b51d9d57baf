import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { PolicyStatement } from '../iam-policy';
import { CLUSTER_PREREQUISITES, type AddonCluster, type AddonDescription } from './addon';
import { EksManagedAddon } from './eks-managed-addon';

/** Where the driver runs and as whom (fixed by the EKS add-on), and the managed policy it needs. */
export const EBS_CSI_DRIVER_DEFAULTS = {
  id: 'ebs-csi-driver',
  addonName: 'aws-ebs-csi-driver',
  namespace: 'kube-system',
  /** The controller's service account: the only part of the driver that calls EC2 (nodes only mount). */
  serviceAccount: 'ebs-csi-controller-sa',
  managedPolicy: 'AmazonEBSCSIDriverPolicyV2',
} as const;

/** Creating volumes with a customer key: EC2 creates grants on the key for the volume (only for AWS resources). */
export const EBS_KMS_GRANT_ACTIONS = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'] as const;
/** Using a customer key for volume data keys. */
export const EBS_KMS_USE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
] as const;

export interface EbsCsiDriverProps {
  /** The cluster. */
  readonly cluster: AddonCluster;
  /** Exact EKS add-on version (pinned per Kubernetes version in stacks/addon-versions.ts). */
  readonly version: string;
  /**
   * Customer KMS keys volumes are encrypted with: the driver's role gets the grants EC2 needs on exactly these.
   * @default [] - volumes use the account's aws/ebs key, which needs no grant
   */
  readonly kmsKeyArns?: readonly string[];
  /** IAM role name. @default `<clusterName>-ebs-csi-driver` */
  readonly roleName?: string;
  /** Further resources the add-on waits for (same stack). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** The KMS statements the driver needs for volumes encrypted with the given customer keys. */
export function ebsKmsStatements(kmsKeyArns: readonly string[]): PolicyStatement[] {
  if (kmsKeyArns.length === 0) return [];
  return [
    {
      sid: 'VolumeKeyGrants',
      actions: EBS_KMS_GRANT_ACTIONS,
      resources: kmsKeyArns,
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
    { sid: 'VolumeKeyUse', actions: EBS_KMS_USE_ACTIONS, resources: kmsKeyArns },
  ];
}

/** The add-on's description (the contract of modules/addons/addon.ts). */
export function ebsCsiDriverAddon(version: string, kmsKeyArns: readonly string[] = []): AddonDescription {
  const d = EBS_CSI_DRIVER_DEFAULTS;
  return {
    id: d.id,
    summary: 'Amazon EBS CSI driver: PersistentVolumes on EBS (gp3, encrypted)',
    install: { kind: 'eks-addon', addonName: d.addonName, version },
    namespace: d.namespace,
    serviceAccount: d.serviceAccount,
    iam: { managedPolicies: [d.managedPolicy], statements: ebsKmsStatements(kmsKeyArns) },
    waitsFor: [...CLUSTER_PREREQUISITES, 'its Pod Identity association'],
  };
}

/**
 * The Amazon EBS CSI driver as an EKS add-on, with a Pod Identity role carrying the AWS-managed
 * `AmazonEBSCSIDriverPolicyV2` (tag-scoped EC2 volume and snapshot actions) plus KMS grants on customer keys.
 * Its StorageClass lives in the platform stack (see gp3-storage-class.ts).
 */
export class EbsCsiDriver extends Construct {
  public readonly description: AddonDescription;
  public readonly managed: EksManagedAddon;

  constructor(scope: Construct, id: string, props: EbsCsiDriverProps) {
    super(scope, id);
    const kmsKeyArns = props.kmsKeyArns ?? [];
    for (const arn of kmsKeyArns) {
      if (!Token.isUnresolved(arn) && !/^arn:[\w-]+:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(arn)) {
        throw new Error(
          `EbsCsiDriver kmsKeyArns: "${arn}" is not a KMS key ARN (arn:<partition>:kms:…:key/…)`,
        );
      }
    }
    this.description = ebsCsiDriverAddon(props.version, kmsKeyArns);
    this.managed = new EksManagedAddon(this, 'addon', {
      cluster: props.cluster,
      addon: this.description,
      roleName: props.roleName,
      dependsOn: props.dependsOn,
    });
  }
}
