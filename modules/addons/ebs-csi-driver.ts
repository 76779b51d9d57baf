import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { z } from 'zod';
import { KMS_KEY_ARN } from '@cart-platform/service/validators';
import { formatted } from '../validate';
import type { PolicyStatement } from '../iam-policy';
import type { AddonCluster, PlatformAddon } from './addon';
import { EksManagedAddon } from './eks-managed-addon';
import { Gp3StorageClass } from './gp3-storage-class';
import { eksAddonVersionSchema, type EksAddonVersions } from './kubernetes-versions';
import type { SystemNodePlacement } from '../system-nodes';

/** Where the driver runs and as whom (fixed by the EKS add-on), and the managed policy it needs. */
export const EBS_CSI_DRIVER_DEFAULTS = {
  id: 'ebs-csi-driver',
  addonName: 'aws-ebs-csi-driver',
  namespace: 'kube-system',
  /** The controller's service account: the only part of the driver that calls EC2 (nodes only mount). */
  serviceAccount: 'ebs-csi-controller-sa',
  managedPolicy: 'AmazonEBSCSIDriverPolicyV2',
} as const;

/** The pinned `aws-ebs-csi-driver` versions (see kubernetes-versions.ts for how to bump). */
export const EBS_CSI_DRIVER_VERSIONS: EksAddonVersions = {
  // One driver build serves every minor; AWS documents no per-minor table (`describe-addon-versions` is the list).
  '1.34': 'v1.51.1-eksbuild.1',
  // v1.55.0-eksbuild.1: the build public EKS 1.35 configurations pin ("EKS 1.35-compatible versions").
  '1.35': 'v1.55.0-eksbuild.1',
};

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
  /** EKS add-on version (pinned per Kubernetes version in EBS_CSI_DRIVER_VERSIONS), or `most-recent`. */
  readonly version: string;
  /** The cluster's Kubernetes minor (what `most-recent` resolves for). @default - required with `most-recent` */
  readonly kubernetesVersion?: string;
  /**
   * Customer KMS keys volumes are encrypted with: the driver's role gets the grants EC2 needs on exactly these.
   * @default [] - volumes use the account's aws/ebs key, which needs no grant
   */
  readonly kmsKeyArns?: readonly string[];
  /** IAM role name. @default `<clusterName>-ebs-csi-driver` */
  readonly roleName?: string;
  /** Further resources the add-on waits for (same stack). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Where its controller runs: the system node group (the add-on's `controller.nodeSelector` and
   * `controller.tolerations`; the node DaemonSet stays on every node). @default - anywhere
   */
  readonly systemNodes?: SystemNodePlacement;
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

/**
 * The Amazon EBS CSI driver as an EKS add-on, with a Pod Identity role carrying the AWS-managed
 * `AmazonEBSCSIDriverPolicyV2` (tag-scoped EC2 volume and snapshot actions) plus KMS grants on customer keys.
 * Its StorageClass lives in the platform stack (see gp3-storage-class.ts).
 */
export class EbsCsiDriver extends Construct {
  public readonly managed: EksManagedAddon;

  constructor(scope: Construct, id: string, props: EbsCsiDriverProps) {
    super(scope, id);
    const d = EBS_CSI_DRIVER_DEFAULTS;
    const kmsKeyArns = props.kmsKeyArns ?? [];
    for (const arn of kmsKeyArns) {
      if (!Token.isUnresolved(arn) && !/^arn:[\w-]+:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(arn)) {
        throw new Error(
          `EbsCsiDriver kmsKeyArns: "${arn}" is not a KMS key ARN (arn:<partition>:kms:…:key/…)`,
        );
      }
    }
    this.managed = new EksManagedAddon(this, 'addon', {
      cluster: props.cluster,
      addonName: d.addonName,
      version: props.version,
      kubernetesVersion: props.kubernetesVersion,
      identity: {
        addonId: d.id,
        namespace: d.namespace,
        serviceAccount: d.serviceAccount,
        iam: { managedPolicies: [d.managedPolicy], statements: ebsKmsStatements(kmsKeyArns) },
        roleName: props.roleName ?? `${props.cluster.clusterName}-${d.id}`,
      },
      ...(props.systemNodes !== undefined && {
        configurationValues: {
          controller: {
            nodeSelector: { ...props.systemNodes.nodeSelector },
            tolerations: [...props.systemNodes.tolerations],
          },
        },
      }),
      dependsOn: props.dependsOn,
    });
  }
}

const settingsSchema = z
  .strictObject({
    enabled: z.boolean(),
    /** EKS add-on version (exact or `most-recent`); `undefined` takes the pinned row of EBS_CSI_DRIVER_VERSIONS. */
    version: eksAddonVersionSchema.optional(),
    /** Make gp3 the default StorageClass. */
    defaultStorageClass: z.boolean(),
    /**
     * Also annotate EKS's gp2 StorageClass as not default: only for clusters created before Kubernetes 1.30 and
     * upgraded (see Gp3StorageClassProps.unsetGp2Default); on a newer cluster the patch fails when gp2 is absent.
     */
    unsetGp2Default: z.boolean(),
    /** Customer KMS key for gp3 volumes (and the driver's grants); `undefined` uses the account's aws/ebs key. */
    kmsKeyArn: formatted(KMS_KEY_ARN).optional(),
  })
  .refine((settings) => !settings.unsetGp2Default || settings.defaultStorageClass, {
    path: ['unsetGp2Default'],
    message: 'needs defaultStorageClass: true (gp2 is only un-defaulted in favour of gp3)',
  });
export type EbsCsiDriverSettings = z.infer<typeof settingsSchema>;

/** The add-on: the EKS add-on and its identity (AWS part), the gp3 StorageClass (cluster part). */
export const EBS_CSI_DRIVER: PlatformAddon<EbsCsiDriverSettings> = {
  id: EBS_CSI_DRIVER_DEFAULTS.id,
  summary: 'Amazon EBS CSI driver: PersistentVolumes on EBS, and a default gp3 StorageClass (encrypted)',
  settingsSchema,
  defaults: {
    enabled: true,
    version: undefined,
    defaultStorageClass: true,
    unsetGp2Default: false,
    kmsKeyArn: undefined,
  },
  aws(scope, context, settings) {
    const driver = new EbsCsiDriver(scope, EBS_CSI_DRIVER_DEFAULTS.id, {
      cluster: context.cluster,
      version: settings.version ?? EBS_CSI_DRIVER_VERSIONS[context.kubernetesVersion],
      kubernetesVersion: context.kubernetesVersion,
      kmsKeyArns: settings.kmsKeyArn !== undefined ? [settings.kmsKeyArn] : [],
      roleName: `${context.clusterNameLiteral}-${EBS_CSI_DRIVER_DEFAULTS.id}`,
      dependsOn: context.dependsOn,
      systemNodes: context.systemNodes,
    });
    return { identity: driver.managed.identity?.outputs, installed: [driver.managed.addon] };
  },
  cluster(scope, _context, settings) {
    const storageClass = new Gp3StorageClass(scope, 'gp3-storage-class', {
      isDefault: settings.defaultStorageClass,
      unsetGp2Default: settings.unsetGp2Default,
      kmsKeyArn: settings.kmsKeyArn,
    });
    return { installed: [storageClass.storageClass] };
  },
};
