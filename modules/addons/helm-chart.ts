import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import type { HelmChartRef } from './addon';

export interface HelmChartProps {
  /** Release name. */
  readonly releaseName: string;
  /** The chart, pinned. */
  readonly chart: HelmChartRef;
  /** Namespace of the release (it must exist; add-ons install into `kube-system`). */
  readonly namespace: string;
  /**
   * Chart values, rendered as one JSON document (JSON is YAML): exact types, no `--set` escaping of dots and
   * brackets, and tests read them back with JSON.parse.
   * @default {}
   */
  readonly values?: Readonly<Record<string, unknown>>;
  /**
   * Wait until the release's Deployments and DaemonSets are ready before the apply continues; releases that
   * others depend on (webhooks) must wait.
   * @default true
   */
  readonly wait?: boolean;
  /**
   * Seconds Helm waits for the release.
   * @default 600
   */
  readonly timeoutSeconds?: number;
  /** Resources the release must wait for (in the same stack). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * A Helm release with the platform's common mechanics: pinned chart, values as one JSON document, atomic
 * install when it waits (a failed install rolls back instead of leaving a half-installed release in state),
 * cleanup on failure.
 */
export class HelmChart extends Construct {
  public readonly release: Release;

  constructor(scope: Construct, id: string, props: HelmChartProps) {
    super(scope, id);
    const { chart } = props;
    if (!Token.isUnresolved(chart.version) && !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(chart.version)) {
      throw new Error(
        `HelmChart chart.version: "${chart.version}" for ${chart.chart} must be an exact version such as 1.2.3`,
      );
    }
    const wait = props.wait ?? true;
    this.release = new Release(this, 'release', {
      name: props.releaseName,
      chart: chart.chart,
      repository: chart.repository,
      version: chart.version,
      namespace: props.namespace,
      createNamespace: false,
      values: [JSON.stringify(props.values ?? {})],
      wait,
      // Atomic implies waiting, so it follows `wait`.
      atomic: wait,
      cleanupOnFail: true,
      timeout: props.timeoutSeconds ?? 600,
      ...(props.dependsOn !== undefined && props.dependsOn.length > 0 && { dependsOn: [...props.dependsOn] }),
    });
  }
}
