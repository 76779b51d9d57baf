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
  /**
   * Make it the default StorageClass and annotate `gp2` as not default (clusters created before Kubernetes 1.30,
   * or upgraded from one, still carry gp2's default annotation; two defaults make PVC defaulting ambiguous).
   * @default true
   */
  readonly isDefault?: boolean;
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
  /** The annotation that turns gp2's default flag off (when `isDefault`). */
  public readonly gp2NotDefault?: Annotations;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: Gp3StorageClassProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'gp3';
    const isDefault = props.isDefault ?? true;
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
    if (isDefault) {
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
