import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { EksAddon, type EksAddonConfig } from '@cdktf/provider-aws/lib/eks-addon';
import type { AddonCluster } from './addon';
import { AddonIdentity, type AddonIdentityProps } from './addon-identity';

export interface EksManagedAddonProps {
  /** The cluster the add-on is installed into. */
  readonly cluster: AddonCluster;
  /** The EKS add-on name, e.g. `aws-ebs-csi-driver`. */
  readonly addonName: string;
  /** Exact add-on version, e.g. `v1.51.1-eksbuild.1`. */
  readonly version: string;
  /** The Pod Identity role and association of the add-on's service account. @default - none: it calls no AWS API */
  readonly identity?: Omit<AddonIdentityProps, 'cluster' | 'associate'>;
  /**
   * Who makes the Pod Identity association: a separate `aws_eks_pod_identity_association` the add-on depends on
   * (`association`), or the add-on's own `pod_identity_association` block (`addon`: EKS creates it with the add-on
   * and deletes it with it, before any of the add-on's pods start).
   * @default 'association'
   */
  readonly associateThrough?: 'association' | 'addon';
  /**
   * The add-on's configuration values (rendered as JSON, which EKS validates against the add-on's schema:
   * `aws eks describe-addon-configuration --addon-name <name> --addon-version <version>`).
   * @default - none; the add-on's defaults
   */
  readonly configurationValues?: Readonly<Record<string, unknown>>;
  /** Further resources the add-on must wait for (in the same stack). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** The `aws_eks_addon` arguments every EKS add-on of the platform shares (core ones included). */
export function pinnedEksAddonConfig(
  clusterName: string,
  addonName: string,
  version: string,
): Pick<
  EksAddonConfig,
  'clusterName' | 'addonName' | 'addonVersion' | 'resolveConflictsOnCreate' | 'resolveConflictsOnUpdate'
> {
  return {
    clusterName,
    addonName,
    addonVersion: version,
    resolveConflictsOnCreate: 'OVERWRITE',
    // Keep what an operator changed through the add-on's own configuration across upgrades.
    resolveConflictsOnUpdate: 'PRESERVE',
  };
}

/**
 * An Amazon EKS add-on and, when it calls AWS APIs, its Pod Identity role and association.
 *
 * The association is a separate `aws_eks_pod_identity_association` rather than the add-on's
 * `pod_identity_association` block: every add-on (EKS or Helm) then gets its identity the same way, through one
 * construct with one set of tests, and the add-on's `depends_on` on the association guarantees the credentials
 * exist before the add-on's pods start (a pod that starts first gets no credentials until it restarts).
 */
export class EksManagedAddon extends Construct {
  public readonly addon: EksAddon;
  /** The add-on's AWS identity, when it has one. */
  public readonly identity?: AddonIdentity;

  constructor(scope: Construct, id: string, props: EksManagedAddonProps) {
    super(scope, id);
    const { cluster } = props;
    const throughAddon = props.associateThrough === 'addon';
    if (props.identity !== undefined) {
      this.identity = new AddonIdentity(this, 'identity', {
        cluster,
        ...props.identity,
        associate: !throughAddon,
      });
    }
    const association = this.identity?.identity.association;
    const block = throughAddon && this.identity !== undefined ? this.identity : undefined;
    const dependsOn = [...(association !== undefined ? [association] : []), ...(props.dependsOn ?? [])];
    this.addon = new EksAddon(this, 'addon', {
      ...pinnedEksAddonConfig(cluster.clusterName, props.addonName, props.version),
      ...(props.configurationValues !== undefined && {
        configurationValues: JSON.stringify(props.configurationValues),
      }),
      ...(block !== undefined && {
        podIdentityAssociation: [{ serviceAccount: block.serviceAccount, roleArn: block.identity.role.arn }],
      }),
      ...(dependsOn.length > 0 && { dependsOn }),
    });
  }
}
