import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CLUSTER_PREREQUISITES, type AddonCluster, type AddonDescription } from './addon';
import { EksManagedAddon } from './eks-managed-addon';

/** Where metrics-server runs (fixed by the EKS community add-on). It calls no AWS API: no identity. */
export const METRICS_SERVER_DEFAULTS = {
  id: 'metrics-server',
  addonName: 'metrics-server',
  namespace: 'kube-system',
} as const;

export interface MetricsServerProps {
  /** The cluster. */
  readonly cluster: AddonCluster;
  /** Exact EKS add-on version (pinned per Kubernetes version in stacks/addon-versions.ts). */
  readonly version: string;
  /** Further resources the add-on waits for (same stack). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** The add-on's description (the contract of modules/addons/addon.ts). */
export function metricsServerAddon(version: string): AddonDescription {
  const d = METRICS_SERVER_DEFAULTS;
  return {
    id: d.id,
    summary: 'metrics-server: the resource metrics API that HorizontalPodAutoscalers and `kubectl top` read',
    install: { kind: 'eks-addon', addonName: d.addonName, version },
    namespace: d.namespace,
    waitsFor: [...CLUSTER_PREREQUISITES],
  };
}

/** metrics-server as an EKS community add-on, as the guide installs it. */
export class MetricsServer extends Construct {
  public readonly description: AddonDescription;
  public readonly managed: EksManagedAddon;

  constructor(scope: Construct, id: string, props: MetricsServerProps) {
    super(scope, id);
    this.description = metricsServerAddon(props.version);
    this.managed = new EksManagedAddon(this, 'addon', {
      cluster: props.cluster,
      addon: this.description,
      dependsOn: props.dependsOn,
    });
  }
}
