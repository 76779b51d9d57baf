import { Construct } from 'constructs';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { ITerraformDependable } from 'cdktf';
import { z } from 'zod';
import type { HelmChartRef, PlatformAddon } from './addon';
import { HelmChart } from './helm-chart';
import type { SystemNodePlacement } from '../system-nodes';

/** Argo CD (GitOps): the chart pinned here, installed into its own namespace. */
export const ARGO_CD_DEFAULTS = {
  id: 'argo-cd',
  namespace: 'argocd',
  releaseName: 'argo-cd',
  chart: { chart: 'argo-cd', repository: 'https://argoproj.github.io/argo-helm', version: '10.1.1' },
} as const;

export interface ArgoCdProps {
  /** Chart version. @default ARGO_CD_DEFAULTS.chart.version */
  readonly chartVersion?: string;
  /** Resources the release waits for (same stack), e.g. the Load Balancer Controller's webhooks. @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Where it runs: the system node group (nodeSelector and toleration). @default - anywhere */
  readonly systemNodes?: SystemNodePlacement;
}

/**
 * Argo CD with its CRDs (kept when the release is removed: deleting the Application CRD would delete every
 * Application and, with prune, what they deployed), without Dex and notifications (no SSO or notifier configured).
 */
export class ArgoCd extends Construct {
  public readonly namespace: NamespaceV1;
  public readonly chart: HelmChartRef;
  public readonly values: Readonly<Record<string, unknown>>;
  public readonly release: HelmChart;

  constructor(scope: Construct, id: string, props: ArgoCdProps = {}) {
    super(scope, id);
    const d = ARGO_CD_DEFAULTS;
    this.chart = { ...d.chart, version: props.chartVersion ?? d.chart.version };
    this.namespace = new NamespaceV1(this, 'namespace', { metadata: { name: d.namespace } });
    this.values = {
      crds: { install: true, keep: true },
      dex: { enabled: false },
      notifications: { enabled: false },
      // Every Argo CD component on the system nodes: the chart's `global` toleration and its hard node affinity
      // preset (`global.nodeSelector` would be merged into the chart's own default map, not replace it).
      ...(props.systemNodes !== undefined && {
        global: {
          tolerations: [...props.systemNodes.tolerations],
          affinity: {
            nodeAffinity: {
              type: 'hard',
              matchExpressions: Object.entries(props.systemNodes.nodeSelector).map(([key, value]) => ({
                key,
                operator: 'In',
                values: [value],
              })),
            },
          },
        },
      }),
    };
    this.release = new HelmChart(this, 'release', {
      releaseName: d.releaseName,
      chart: this.chart,
      namespace: this.namespace.metadata.name,
      values: this.values,
      dependsOn: [...(props.dependsOn ?? []), this.namespace],
    });
  }
}

const settingsSchema = z.strictObject({
  enabled: z.boolean(),
  /** Exact chart version. */
  chartVersion: z.string(),
});
export type ArgoCdSettings = z.infer<typeof settingsSchema>;

/** The add-on: the argo-cd release (cluster part only; it reads Git, not AWS). */
export const ARGO_CD: PlatformAddon<ArgoCdSettings> = {
  id: ARGO_CD_DEFAULTS.id,
  summary: 'Argo CD: syncs the cart workload from Git when gitops.enabled',
  settingsSchema,
  defaults: { enabled: false, chartVersion: ARGO_CD_DEFAULTS.chart.version },
  cluster(scope, context, settings) {
    const argo = new ArgoCd(scope, ARGO_CD_DEFAULTS.id, {
      chartVersion: settings.chartVersion,
      dependsOn: context.webhooks,
      systemNodes: context.systemNodes,
    });
    return { installed: [argo.release.release] };
  },
};
