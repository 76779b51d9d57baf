import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { AddonCluster, AddonDescription } from './addon';
import { AddonIdentity } from './addon-identity';

export interface EksManagedAddonProps {
  /** The cluster the add-on is installed into. */
  readonly cluster: AddonCluster;
  /** The add-on; its `install.kind` must be `eks-addon`. */
  readonly addon: AddonDescription;
  /** IAM role name, when the add-on has an identity. @default `<clusterName>-<addon id>` */
  readonly roleName?: string;
  /**
   * The add-on's configuration values (rendered as JSON, which EKS validates against the add-on's schema:
   * `aws eks describe-addon-configuration --addon-name <name> --addon-version <version>`).
   * @default - none; the add-on's defaults
   */
  readonly configurationValues?: Readonly<Record<string, unknown>>;
  /** Further resources the add-on must wait for (in the same stack). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
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
    const { addon, cluster } = props;
    if (addon.install.kind !== 'eks-addon') {
      throw new Error(
        `EksManagedAddon addon: "${addon.id}" is installed by ${addon.install.kind}, not eks-addon`,
      );
    }
    if (addon.iam !== undefined) {
      this.identity = new AddonIdentity(this, 'identity', {
        cluster,
        addon,
        roleName: props.roleName ?? `${cluster.clusterName}-${addon.id}`,
      });
    }
    const association = this.identity?.identity.association;
    const dependsOn = [...(association !== undefined ? [association] : []), ...(props.dependsOn ?? [])];
    this.addon = new EksAddon(this, 'addon', {
      clusterName: cluster.clusterName,
      addonName: addon.install.addonName,
      addonVersion: addon.install.version,
      ...(props.configurationValues !== undefined && {
        configurationValues: JSON.stringify(props.configurationValues),
      }),
      resolveConflictsOnCreate: 'OVERWRITE',
      // Keep what an operator changed through the add-on's own configuration across upgrades.
      resolveConflictsOnUpdate: 'PRESERVE',
      ...(dependsOn.length > 0 && { dependsOn }),
    });
  }
}
