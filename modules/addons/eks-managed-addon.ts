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
  /** The Pod Identity role of the add-on's service account (bound by the add-on). @default - none: it calls no AWS API */
  readonly identity?: Omit<AddonIdentityProps, 'cluster'>;
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
 * An Amazon EKS add-on and, when it calls AWS APIs, its Pod Identity role, bound through the add-on's own
 * `pod_identity_association` block: EKS creates the association with the add-on, for the service account the
 * add-on's pods run as, so the credentials exist before those pods start and the association is removed with the
 * add-on. (Helm add-ons and the cart keep a separate `aws_eks_pod_identity_association`.)
 */
export class EksManagedAddon extends Construct {
  public readonly addon: EksAddon;
  /** The add-on's AWS identity, when it has one. */
  public readonly identity?: AddonIdentity;

  constructor(scope: Construct, id: string, props: EksManagedAddonProps) {
    super(scope, id);
    const { cluster } = props;
    if (props.identity !== undefined) {
      this.identity = new AddonIdentity(this, 'identity', {
        cluster,
        ...props.identity,
        createAssociation: false,
      });
    }
    const identity = this.identity;
    const dependsOn = props.dependsOn ?? [];
    this.addon = new EksAddon(this, 'addon', {
      ...pinnedEksAddonConfig(cluster.clusterName, props.addonName, props.version),
      ...(identity !== undefined && {
        podIdentityAssociation: [
          { roleArn: identity.identity.role.arn, serviceAccount: identity.serviceAccount },
        ],
      }),
      ...(props.configurationValues !== undefined && {
        configurationValues: JSON.stringify(props.configurationValues),
      }),
      ...(dependsOn.length > 0 && { dependsOn: [...dependsOn] }),
    });
  }
}
