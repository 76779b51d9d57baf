import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { z } from 'zod';
import type { AddonCluster, PlatformAddon } from './addon';
import { EksManagedAddon } from './eks-managed-addon';
import { eksAddonVersionSchema, type EksAddonVersions } from './kubernetes-versions';

/** Where metrics-server runs (fixed by the EKS community add-on). It calls no AWS API: no identity. */
export const METRICS_SERVER_DEFAULTS = {
  id: 'metrics-server',
  addonName: 'metrics-server',
  namespace: 'kube-system',
} as const;

/** The pinned `metrics-server` versions (see kubernetes-versions.ts for how to bump). */
export const METRICS_SERVER_VERSIONS: EksAddonVersions = {
  // The community add-on's build (AWS community add-ons documentation publishes no per-minor table).
  '1.34': 'v0.8.0-eksbuild.2',
  // v0.9.0-eksbuild.5: the build public EKS 1.35 add-on maps pin for KubernetesVersion.V1_35 (and 1.34).
  '1.35': 'v0.9.0-eksbuild.5',
};

export interface MetricsServerProps {
  /** The cluster. */
  readonly cluster: AddonCluster;
  /** EKS add-on version (pinned per Kubernetes version in METRICS_SERVER_VERSIONS), or `most-recent`. */
  readonly version: string;
  /** The cluster's Kubernetes minor (what `most-recent` resolves for). @default - required with `most-recent` */
  readonly kubernetesVersion?: string;
  /** Further resources the add-on waits for (same stack). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** metrics-server as an EKS community add-on, as the guide installs it. */
export class MetricsServer extends Construct {
  public readonly managed: EksManagedAddon;

  constructor(scope: Construct, id: string, props: MetricsServerProps) {
    super(scope, id);
    this.managed = new EksManagedAddon(this, 'addon', {
      cluster: props.cluster,
      addonName: METRICS_SERVER_DEFAULTS.addonName,
      version: props.version,
      kubernetesVersion: props.kubernetesVersion,
      dependsOn: props.dependsOn,
    });
  }
}

const settingsSchema = z.strictObject({
  enabled: z.boolean(),
  /** EKS add-on version (exact or `most-recent`); `undefined` takes the pinned row of METRICS_SERVER_VERSIONS. */
  version: eksAddonVersionSchema.optional(),
});
export type MetricsServerSettings = z.infer<typeof settingsSchema>;

/** The add-on: the EKS community add-on (AWS part only; no identity). */
export const METRICS_SERVER: PlatformAddon<MetricsServerSettings> = {
  id: METRICS_SERVER_DEFAULTS.id,
  summary: 'metrics-server: the resource metrics API that HorizontalPodAutoscalers and `kubectl top` read',
  settingsSchema,
  defaults: { enabled: true, version: undefined },
  aws(scope, context, settings) {
    const metrics = new MetricsServer(scope, METRICS_SERVER_DEFAULTS.id, {
      cluster: context.cluster,
      version: settings.version ?? METRICS_SERVER_VERSIONS[context.kubernetesVersion],
      kubernetesVersion: context.kubernetesVersion,
      dependsOn: context.dependsOn,
    });
    return { installed: [metrics.managed.addon] };
  },
};
