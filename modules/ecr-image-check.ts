import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsEcrImage } from '@cdktf/provider-aws/lib/data-aws-ecr-image';

/** A Docker tag (what ECR accepts). */
const DOCKER_TAG = /^[\w][\w.-]{0,127}$/;

export interface EcrImageCheckProps {
  /** The ECR repository the image must be in, e.g. `retail-dev/cart`. */
  readonly repositoryName: string;
  /** The tag that must exist there. */
  readonly imageTag: string;
}

/**
 * Fails the plan when the image a workload is about to run is not in ECR. An `aws_ecr_image` data source is read
 * during `plan`: a missing tag stops it with ECR's `ImageNotFoundException`, which names the tag and the
 * repository, before anything is changed. Without it, the Deployment is applied, its pods sit in
 * ImagePullBackOff, `wait_for_rollout` times out after ten minutes and leaves the Deployment tainted.
 * (The aws provider 5.100 has no `aws_ecr_images` list source that a postcondition could word its own error on.)
 */
export class EcrImageCheck extends Construct {
  public readonly image: DataAwsEcrImage;

  constructor(scope: Construct, id: string, props: EcrImageCheckProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.imageTag) && !DOCKER_TAG.test(props.imageTag)) {
      throw new Error(`EcrImageCheck imageTag: "${props.imageTag}" is not a Docker tag such as 1.0.0`);
    }
    this.image = new DataAwsEcrImage(this, 'image', {
      repositoryName: props.repositoryName,
      imageTag: props.imageTag,
    });
  }
}
