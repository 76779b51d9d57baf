import type { Construct } from 'constructs';
import type { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import type { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Gp3StorageClass } from '../modules/addons/gp3-storage-class';
import { LoadBalancerController } from '../modules/addons/load-balancer-controller';
import { SecretsStoreCsi } from '../modules/addons/secrets-store-csi';
import { addEksKubernetesProviders } from '../modules/kubernetes-providers';
import type { AddonsOutputs } from './addons-stack';
import { RemoteStateStack, type PlatformStackProps } from './aws-platform-stack';
import type { ClusterOutputs } from './cluster-stack';
import type { NetworkOutputs } from './network-stack';

export interface PlatformAddonsStackProps extends PlatformStackProps {
  /** The network stack's outputs (the Load Balancer Controller's VPC). */
  readonly network: NetworkOutputs;
  /** The cluster stack's outputs (provider connection, cluster name, region). */
  readonly cluster: ClusterOutputs;
  /** The add-ons stack's outputs (the identities the charts must run as). */
  readonly addons: AddonsOutputs;
}

/**
 * The cluster side of the platform add-ons: the Load Balancer Controller and Secrets Store CSI (driver + AWS
 * provider) Helm releases, and the gp3 StorageClass of the EBS CSI driver. Helm and Kubernetes providers only
 * (exec auth with `aws eks get-token`); the AWS identities live in the add-ons stack, deployed before this one.
 *
 * Ordering within the stack: the Load Balancer Controller waits until ready (`wait`), and every other release
 * depends on it, because its Service/Pod webhooks reject objects while they have no ready endpoint.
 */
export class PlatformStack extends RemoteStateStack {
  public readonly kubernetesProvider: KubernetesProvider;
  public readonly helmProvider: HelmProvider;
  public readonly loadBalancerController?: LoadBalancerController;
  public readonly secretsStoreCsi?: SecretsStoreCsi;
  public readonly gp3StorageClass?: Gp3StorageClass;

  constructor(scope: Construct, id: string, props: PlatformAddonsStackProps) {
    super(scope, id, props);
    const { addons: settings } = props.config;
    const providers = addEksKubernetesProviders(this, props.cluster);
    this.kubernetesProvider = providers.kubernetes;
    this.helmProvider = providers.helm;

    if (settings.loadBalancerController.enabled) {
      const identity = props.addons.loadBalancerController;
      if (identity === undefined) {
        throw new Error(
          'PlatformStack addons.loadBalancerController: undefined while config addons.loadBalancerController.enabled ' +
            'is true; build the add-ons stack from the same config',
        );
      }
      this.loadBalancerController = new LoadBalancerController(this, 'aws-load-balancer-controller', {
        clusterName: props.cluster.clusterName,
        region: props.cluster.region,
        vpcId: props.network.vpcId,
        namespace: identity.namespace,
        serviceAccount: identity.serviceAccount,
        chartVersion: settings.loadBalancerController.chartVersion,
        replicas: settings.loadBalancerController.replicas,
      });
    }
    const afterWebhooks = this.loadBalancerController ? [this.loadBalancerController.helm.release] : [];

    if (settings.secretsStoreCsi.enabled) {
      this.secretsStoreCsi = new SecretsStoreCsi(this, 'secrets-store-csi', {
        driverChartVersion: settings.secretsStoreCsi.chartVersion,
        providerChartVersion: settings.secretsStoreCsi.providerChartVersion,
        rotationPollInterval: settings.secretsStoreCsi.rotationPollInterval,
        dependsOn: afterWebhooks,
      });
    }

    if (settings.ebsCsi.enabled) {
      this.gp3StorageClass = new Gp3StorageClass(this, 'gp3-storage-class', {
        isDefault: settings.ebsCsi.defaultStorageClass,
        kmsKeyArn: settings.ebsCsi.kmsKeyArn,
      });
    }
  }
}
