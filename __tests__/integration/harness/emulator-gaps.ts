/**
 * What the local AWS emulator (moto 5.x) does not implement or mishandles, found by applying the stacks against
 * it. Every entry is one resource type with the reason; the harness prints each one it uses.
 *
 * - `skip`: the resource is planned, but left out of apply (the harness targets every other resource), and so is
 *   every resource that depends on it.
 * - `ignoreChanges`: the resource is applied, but moto does not round-trip the named attributes, so the harness
 *   adds them to `lifecycle.ignore_changes` in its own copy of the synthesized JSON; otherwise the plan after apply
 *   would show a difference that comes from the emulator, not from the code.
 */
export interface EmulatorGap {
  /** Terraform resource type, e.g. `aws_eks_addon`. */
  readonly type: string;
  /** Why, in one line: what moto does and what that would break. */
  readonly reason: string;
  /** Leave resources of this type (and their dependents) out of apply. */
  readonly skip?: true;
  /** Apply, but ignore drift in these attributes (moto does not return them as they were set). */
  readonly ignoreChanges?: readonly string[];
}

export const EMULATOR_GAPS: readonly EmulatorGap[] = [
  {
    type: 'aws_eks_addon',
    skip: true,
    reason: 'moto has no EKS add-on API (CreateAddon answers 404)',
  },
  {
    type: 'aws_eks_pod_identity_association',
    skip: true,
    reason: 'moto has no EKS Pod Identity API (CreatePodIdentityAssociation answers 404)',
  },
  {
    type: 'aws_s3_bucket_policy',
    skip: true,
    reason:
      'moto treats a Deny statement whose Condition does not match as a Deny, so the TLS-only policy ' +
      '(Deny when aws:SecureTransport=false) would refuse every request, Terraform state reads included',
  },
  {
    type: 'aws_s3_bucket_lifecycle_configuration',
    skip: true,
    reason:
      'moto drops NoncurrentVersionExpiration.NewerNoncurrentVersions, so the provider waits 3 minutes for the ' +
      'rule it wrote to read back and fails',
  },
  {
    type: 'aws_s3_bucket_versioning',
    skip: true,
    reason:
      'moto fails (500: FakeDeleteMarker has no dispose) deleting the objects of a bucket whose versioning was ' +
      'suspended while it holds delete markers (each state lock leaves one), so force_destroy never ends',
  },
  {
    type: 'aws_eks_cluster',
    ignoreChanges: ['access_config'],
    reason: 'moto does not return accessConfig, which would force a replacement on every plan',
  },
  {
    type: 'aws_launch_template',
    ignoreChanges: ['tag_specifications'],
    reason:
      "moto stores the template's own tags as an extra tag specification for resource type launch-template",
  },
  {
    type: 'aws_eks_node_group',
    ignoreChanges: ['remote_access', 'update_config'],
    reason:
      'moto answers every node group with remoteAccess { ec2SshKey: "eksKeypair" } (a replacement on every plan) and without updateConfig',
  },
];
