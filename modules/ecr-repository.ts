import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository as EcrRepositoryResource } from '@cdktf/provider-aws/lib/ecr-repository';

export const ECR_ENCRYPTIONS = ['AES256', 'KMS'] as const;
export type EcrEncryption = (typeof ECR_ENCRYPTIONS)[number];

export interface EcrRepositoryProps {
  /** Repository name, e.g. `retail-store/cart`. */
  readonly repositoryName: string;
  /**
   * Refuse to overwrite a pushed tag, so a tag always names the same image (and a rollout is reproducible).
   * @default true
   */
  readonly immutableTags?: boolean;
  /**
   * Scan every pushed image for vulnerabilities.
   * @default true
   */
  readonly scanOnPush?: boolean;
  /**
   * Untagged images (superseded builds, failed pushes) are expired this many days after their push.
   * @default 14
   */
  readonly untaggedExpiryDays?: number;
  /**
   * How many tagged images to keep; older ones are expired.
   * @default 50
   */
  readonly maxTaggedImages?: number;
  /**
   * Encryption at rest: S3-managed AES-256, or KMS (the AWS-managed `aws/ecr` key unless `kmsKeyArn` is set).
   * @default 'AES256'
   */
  readonly encryption?: EcrEncryption;
  /** Customer-managed KMS key for `encryption: 'KMS'`. @default - the AWS-managed key */
  readonly kmsKeyArn?: string;
  /**
   * Let `terraform destroy` delete a repository that still holds images.
   * @default false
   */
  readonly forceDelete?: boolean;
}

/** An ECR lifecycle policy rule (the fields this construct uses). */
export interface LifecycleRule {
  readonly rulePriority: number;
  readonly description: string;
  readonly selection: Readonly<Record<string, unknown>>;
  readonly action: { readonly type: 'expire' };
}

/**
 * A private ECR repository for a service image: immutable tags, scan on push, encryption at rest, and a lifecycle
 * policy that keeps storage bounded (untagged images expire, only the latest tagged ones are kept).
 */
export class EcrRepository extends Construct {
  public readonly repository: EcrRepositoryResource;
  public readonly lifecyclePolicy: EcrLifecyclePolicy;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`, what an image reference starts with. */
  public readonly repositoryUrl: string;
  public readonly repositoryArn: string;
  /** The lifecycle rules, as rendered into the policy. */
  public readonly lifecycleRules: readonly LifecycleRule[];

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
    const immutableTags = props.immutableTags ?? true;
    const untaggedExpiryDays = props.untaggedExpiryDays ?? 14;
    const maxTaggedImages = props.maxTaggedImages ?? 50;
    const encryption = props.encryption ?? 'AES256';
    validate(props, encryption, untaggedExpiryDays, maxTaggedImages);

    this.repository = new EcrRepositoryResource(this, 'repository', {
      name: props.repositoryName,
      imageTagMutability: immutableTags ? 'IMMUTABLE' : 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: props.scanOnPush ?? true },
      encryptionConfiguration: [
        {
          encryptionType: encryption,
          ...(props.kmsKeyArn !== undefined && { kmsKey: props.kmsKeyArn }),
        },
      ],
      forceDelete: props.forceDelete ?? false,
    });
    this.repositoryUrl = this.repository.repositoryUrl;
    this.repositoryArn = this.repository.arn;

    // ECR applies the rule with the lowest priority first; each image is matched by at most one rule.
    this.lifecycleRules = [
      {
        rulePriority: 1,
        description: `Expire untagged images ${untaggedExpiryDays} days after push`,
        selection: {
          tagStatus: 'untagged',
          countType: 'sinceImagePushed',
          countUnit: 'days',
          countNumber: untaggedExpiryDays,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the last ${maxTaggedImages} tagged images`,
        selection: {
          tagStatus: 'tagged',
          tagPatternList: ['*'],
          countType: 'imageCountMoreThan',
          countNumber: maxTaggedImages,
        },
        action: { type: 'expire' },
      },
    ];
    this.lifecyclePolicy = new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: this.repository.name,
      policy: JSON.stringify({ rules: this.lifecycleRules }),
    });
  }
}

function validate(
  props: EcrRepositoryProps,
  encryption: string,
  untaggedDays: number,
  maxTagged: number,
): void {
  const name = props.repositoryName;
  if (!Token.isUnresolved(name) && !/^[a-z0-9]+([._/-][a-z0-9]+)*$/.test(name)) {
    throw new Error(
      `EcrRepository repositoryName: "${name}" is not a repository name (lowercase a-z 0-9, separated by . _ - /)`,
    );
  }
  if (!Token.isUnresolved(name) && (name.length < 2 || name.length > 256)) {
    throw new Error(`EcrRepository repositoryName: "${name}" must be 2-256 characters`);
  }
  if (!(ECR_ENCRYPTIONS as readonly string[]).includes(encryption)) {
    throw new Error(
      `EcrRepository encryption: "${encryption}" not allowed; use ${ECR_ENCRYPTIONS.join(' or ')}`,
    );
  }
  if (props.kmsKeyArn !== undefined && encryption !== 'KMS') {
    throw new Error(`EcrRepository kmsKeyArn: set, but encryption is "${encryption}"; use encryption 'KMS'`);
  }
  if (!Number.isInteger(untaggedDays) || untaggedDays < 1) {
    throw new Error(`EcrRepository untaggedExpiryDays: ${untaggedDays} must be an integer >= 1`);
  }
  if (!Number.isInteger(maxTagged) || maxTagged < 1) {
    throw new Error(`EcrRepository maxTaggedImages: ${maxTagged} must be an integer >= 1`);
  }
}
