import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { Annotations } from '@cdktf/provider-kubernetes/lib/annotations';
import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';

/** The annotation that makes a StorageClass the cluster default. */
export const DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** The CSI driver name of the EBS CSI driver (not the in-tree `kubernetes.io/aws-ebs` of gp2). */
export const EBS_CSI_PROVISIONER = 'ebs.csi.aws.com';

export interface Gp3StorageClassProps {
  /** StorageClass name. @default 'gp3' */
  readonly name?: string;
  /** Make it the default StorageClass. @default true */
  readonly isDefault?: boolean;
  /**
   * Also annotate EKS's `gp2` StorageClass as not default. Only for a cluster *created* before Kubernetes 1.30 (and
   * upgraded since): EKS annotated gp2 as default there, and two defaults make PVC defaulting ambiguous. A cluster
   * created on 1.30 or later has no default annotation on gp2 (EKS release notes, Kubernetes 1.30), and nothing
   * documents that gp2 exists at all with `bootstrap_self_managed_addons = false`: patching a missing gp2 fails
   * the apply. Needs `isDefault`.
   * @default false
   */
  readonly unsetGp2Default?: boolean;
  /** Customer KMS key for the volumes. @default - the account's aws/ebs key */
  readonly kmsKeyArn?: string;
  /** Resources the StorageClass waits for (same stack). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * A gp3 StorageClass for the EBS CSI driver: encrypted, created in the zone of the pod that first uses it
 * (`WaitForFirstConsumer`, so a volume never lands in a zone its pod cannot run in), expandable, deleted with its
 * claim.
 */
export class Gp3StorageClass extends Construct {
  public readonly storageClass: StorageClassV1;
  /** The annotation that turns gp2's default flag off (when `unsetGp2Default`). */
  public readonly gp2NotDefault?: Annotations;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: Gp3StorageClassProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'gp3';
    const isDefault = props.isDefault ?? true;
    const unsetGp2Default = props.unsetGp2Default ?? false;
    if (unsetGp2Default && !isDefault) {
      throw new Error(
        'Gp3StorageClass unsetGp2Default: true needs isDefault: true (gp2 is only un-defaulted in favour of gp3)',
      );
    }
    if (this.name === 'gp2') {
      throw new Error('Gp3StorageClass name: "gp2" is the in-tree class EKS creates; choose another name');
    }
    if (
      props.kmsKeyArn !== undefined &&
      !Token.isUnresolved(props.kmsKeyArn) &&
      !/^arn:[\w-]+:kms:/.test(props.kmsKeyArn)
    ) {
      throw new Error(`Gp3StorageClass kmsKeyArn: "${props.kmsKeyArn}" is not a KMS key ARN`);
    }
    this.storageClass = new StorageClassV1(this, 'storage-class', {
      metadata: {
        name: this.name,
        annotations: { [DEFAULT_STORAGE_CLASS_ANNOTATION]: String(isDefault) },
      },
      storageProvisioner: EBS_CSI_PROVISIONER,
      parameters: {
        type: 'gp3',
        encrypted: 'true',
        ...(props.kmsKeyArn !== undefined && { kmsKeyId: props.kmsKeyArn }),
      },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
      ...(props.dependsOn !== undefined && props.dependsOn.length > 0 && { dependsOn: [...props.dependsOn] }),
    });
    if (unsetGp2Default) {
      // gp2 belongs to EKS, not to Terraform: only its annotation is managed (force takes the field over).
      this.gp2NotDefault = new Annotations(this, 'gp2-not-default', {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'gp2' },
        annotations: { [DEFAULT_STORAGE_CLASS_ANNOTATION]: 'false' },
        force: true,
      });
    }
  }
}
