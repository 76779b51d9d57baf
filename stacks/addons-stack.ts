import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { AddonCluster, AddonDescription } from '../modules/addons/addon';
import { AddonIdentity } from '../modules/addons/addon-identity';
import { EbsCsiDriver } from '../modules/addons/ebs-csi-driver';
import { ExternalDns } from '../modules/addons/external-dns';
import { loadBalancerControllerAddon } from '../modules/addons/load-balancer-controller';
import { MetricsServer } from '../modules/addons/metrics-server';
import { PLATFORM_ADDON_VERSIONS } from './addon-versions';
import { AwsPlatformStack, type PlatformStackProps } from './aws-platform-stack';
import type { ClusterOutputs } from './cluster-stack';
import type { NetworkOutputs } from './network-stack';

export interface AddonsStackProps extends PlatformStackProps {
  /** The network stack's outputs. */
  readonly network: NetworkOutputs;
  /** The cluster stack's outputs. */
  readonly cluster: ClusterOutputs;
}

/** The AWS identity of a Helm-installed add-on, for the platform stack. */
export interface AddonIdentityOutputs {
  readonly namespace: string;
  /** The service account the Pod Identity association names: the chart must run as exactly this one. */
  readonly serviceAccount: string;
  readonly roleArn: string;
}

/** What the platform stack needs from the add-ons stack. */
export interface AddonsOutputs {
  /** The Load Balancer Controller's identity; `undefined` when the controller is switched off. */
  readonly loadBalancerController?: AddonIdentityOutputs;
}

/**
 * The AWS side of the platform add-ons: the EKS add-ons (EBS CSI driver, ExternalDNS, metrics-server) and the
 * Pod Identity roles and associations of every add-on that calls AWS (including the Helm-installed Load Balancer
 * Controller, whose chart the platform stack installs). AWS resources only, so this stack validates and applies
 * against the offline provider and the emulator.
 *
 * Ordering: every reference to the cluster stack's outputs puts this stack after it (node groups, the Pod Identity
 * agent and the CNI exist before any add-on); within the stack each EKS add-on depends on its association.
 */
export class AddonsStack extends AwsPlatformStack {
  public readonly ebsCsiDriver?: EbsCsiDriver;
  public readonly externalDns?: ExternalDns;
  public readonly metricsServer?: MetricsServer;
  public readonly loadBalancerControllerIdentity?: AddonIdentity;
  /** The descriptions of the add-ons with an AWS side (EKS add-on or identity) in this environment. */
  public readonly addons: readonly AddonDescription[];
  public readonly outputs: AddonsOutputs;

  constructor(scope: Construct, id: string, props: AddonsStackProps) {
    super(scope, id, props);
    const { addons: settings, cluster: clusterSettings } = props.config;
    const versions = PLATFORM_ADDON_VERSIONS[clusterSettings.kubernetesVersion];
    const cluster: AddonCluster = {
      clusterName: props.cluster.clusterName,
      clusterArn: props.cluster.clusterArn,
      accountId: props.cluster.accountId,
      partition: props.cluster.partition,
    };
    // Role names from the configured (plain) cluster name: readable, and checked for IAM's 64 characters at synth.
    const roleName = (addonId: string) => `${clusterSettings.name}-${addonId}`;
    const descriptions: AddonDescription[] = [];

    if (settings.ebsCsi.enabled) {
      this.ebsCsiDriver = new EbsCsiDriver(this, 'ebs-csi-driver', {
        cluster,
        version: settings.ebsCsi.version ?? versions['aws-ebs-csi-driver'],
        kmsKeyArns: settings.ebsCsi.kmsKeyArn !== undefined ? [settings.ebsCsi.kmsKeyArn] : [],
        roleName: roleName('ebs-csi-driver'),
      });
      descriptions.push(this.ebsCsiDriver.description);
    }

    // ExternalDNS without a hosted zone would have nothing it may write to: it is not installed at all.
    if (settings.externalDns.enabled && settings.externalDns.hostedZoneIds.length > 0) {
      this.externalDns = new ExternalDns(this, 'external-dns', {
        cluster,
        version: settings.externalDns.version ?? versions['external-dns'],
        hostedZoneIds: settings.externalDns.hostedZoneIds,
        domainFilters: settings.externalDns.domainFilters,
        policy: settings.externalDns.policy,
        txtOwnerId: clusterSettings.name,
        roleName: roleName('external-dns'),
      });
      descriptions.push(this.externalDns.description);
    }

    if (settings.metricsServer.enabled) {
      this.metricsServer = new MetricsServer(this, 'metrics-server', {
        cluster,
        version: settings.metricsServer.version ?? versions['metrics-server'],
      });
      descriptions.push(this.metricsServer.description);
    }

    let loadBalancerController: AddonIdentityOutputs | undefined;
    if (settings.loadBalancerController.enabled) {
      const addon = loadBalancerControllerAddon(
        cluster.partition,
        settings.loadBalancerController.chartVersion,
      );
      this.loadBalancerControllerIdentity = new AddonIdentity(this, 'aws-load-balancer-controller', {
        cluster,
        addon,
        roleName: roleName('aws-load-balancer-controller'),
      });
      const identity = this.loadBalancerControllerIdentity;
      loadBalancerController = {
        namespace: identity.namespace,
        serviceAccount: identity.serviceAccount,
        roleArn: identity.identity.role.arn,
      };
      descriptions.push(addon);
      new TerraformOutput(this, 'load-balancer-controller-role-arn', { value: identity.identity.role.arn });
    }

    this.addons = descriptions;
    this.outputs = { loadBalancerController };
  }
}
