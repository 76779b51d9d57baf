import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { z } from 'zod';
import type { HelmChartRef, PlatformAddon } from './addon';
import { HelmChart } from './helm-chart';
import type { Toleration } from '../system-nodes';

/** The audience of the service account token ASCP exchanges through EKS Pod Identity (`usePodIdentity: "true"`). */
export const POD_IDENTITY_TOKEN_AUDIENCE = 'pods.eks.amazonaws.com';
/** The audience of the token ASCP exchanges with STS for IRSA (`usePodIdentity` unset or `"false"`). */
export const IRSA_TOKEN_AUDIENCE = 'sts.amazonaws.com';
/**
 * Both audiences, so a SecretProviderClass mounts under either identity mode. ASCP picks the token of the mode the
 * class asks for and fails the mount when the driver did not request it ("Pod Identity token extraction failed"):
 * aws/secrets-store-csi-driver-provider-aws server/server.go (`GetTokenForAudience`), and its README's install step
 * `--set tokenRequests[0].audience=sts.amazonaws.com --set tokenRequests[1].audience=pods.eks.amazonaws.com`. The
 * key is the driver chart's `tokenRequests` (an array, secrets-store-csi-driver 1.6.0 values.yaml), rendered into
 * the CSIDriver object's `spec.tokenRequests`.
 */
export const SECRETS_STORE_TOKEN_AUDIENCES = [IRSA_TOKEN_AUDIENCE, POD_IDENTITY_TOKEN_AUDIENCE] as const;

/**
 * The Secrets Store CSI driver and the AWS provider (ASCP), both in kube-system. Neither needs an AWS identity of
 * its own: the provider calls Secrets Manager and SSM with the identity of the pod that mounts the volume.
 */
export const SECRETS_STORE_CSI_DEFAULTS = {
  id: 'secrets-store-csi',
  namespace: 'kube-system',
  driver: {
    releaseName: 'secrets-store-csi-driver',
    chart: {
      chart: 'secrets-store-csi-driver',
      repository: 'https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts',
      version: '1.6.0',
    },
  },
  provider: {
    releaseName: 'secrets-store-csi-driver-provider-aws',
    chart: {
      chart: 'secrets-store-csi-driver-provider-aws',
      repository: 'https://aws.github.io/secrets-store-csi-driver-provider-aws',
      version: '3.1.1',
    },
  },
  rotationPollInterval: '2m',
} as const;

export interface SecretsStoreCsiProps {
  /** Driver chart version. @default SECRETS_STORE_CSI_DEFAULTS.driver.chart.version */
  readonly driverChartVersion?: string;
  /** AWS provider chart version. @default SECRETS_STORE_CSI_DEFAULTS.provider.chart.version */
  readonly providerChartVersion?: string;
  /** How often mounted secrets are re-read (Go duration). @default SECRETS_STORE_CSI_DEFAULTS.rotationPollInterval */
  readonly rotationPollInterval?: string;
  /** Resources both releases wait for (same stack), e.g. the Load Balancer Controller. @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Taints its DaemonSets tolerate: a node plugin belongs on every node a pod may mount a secret on, the system
   * nodes included. @default []
   */
  readonly tolerations?: readonly Toleration[];
}

/**
 * The Secrets Store CSI driver with secret sync and rotation, and the AWS provider with the driver sub-chart off
 * (the driver is its own release, so both upgrade independently). Tokens are requested for both audiences, so a
 * `SecretProviderClass` mounts whether its pods get their role through Pod Identity or IRSA.
 */
export class SecretsStoreCsi extends Construct {
  public readonly namespace: string;
  public readonly driverChart: HelmChartRef;
  public readonly providerChart: HelmChartRef;
  public readonly driver: HelmChart;
  public readonly provider: HelmChart;
  public readonly driverValues: Readonly<Record<string, unknown>>;
  public readonly providerValues: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: SecretsStoreCsiProps = {}) {
    super(scope, id);
    const d = SECRETS_STORE_CSI_DEFAULTS;
    const rotationPollInterval = props.rotationPollInterval ?? d.rotationPollInterval;
    if (!/^\d+(s|m|h)$/.test(rotationPollInterval)) {
      throw new Error(
        `SecretsStoreCsi rotationPollInterval: "${rotationPollInterval}" must be a duration such as 2m`,
      );
    }
    this.namespace = d.namespace;
    const tolerations = [...(props.tolerations ?? [])];
    this.driverChart = { ...d.driver.chart, version: props.driverChartVersion ?? d.driver.chart.version };
    this.providerChart = {
      ...d.provider.chart,
      version: props.providerChartVersion ?? d.provider.chart.version,
    };
    this.driverValues = {
      // Mirror mounted secrets into Kubernetes Secrets when a SecretProviderClass asks (secretObjects).
      syncSecret: { enabled: true },
      enableSecretRotation: true,
      rotationPollInterval,
      tokenRequests: SECRETS_STORE_TOKEN_AUDIENCES.map((audience) => ({ audience })),
      ...(tolerations.length > 0 && { linux: { tolerations } }),
    };
    this.providerValues = {
      'secrets-store-csi-driver': { install: false },
      ...(tolerations.length > 0 && { tolerations }),
    };

    this.driver = new HelmChart(this, 'driver', {
      releaseName: d.driver.releaseName,
      chart: this.driverChart,
      namespace: this.namespace,
      values: this.driverValues,
      dependsOn: props.dependsOn,
    });
    // The provider after the driver: the driver's DaemonSet owns the socket directory the provider registers in.
    this.provider = new HelmChart(this, 'provider-aws', {
      releaseName: d.provider.releaseName,
      chart: this.providerChart,
      namespace: this.namespace,
      values: this.providerValues,
      dependsOn: [...(props.dependsOn ?? []), this.driver.release],
    });
  }
}

const settingsSchema = z.strictObject({
  enabled: z.boolean(),
  /** Exact version of the driver chart. */
  chartVersion: z.string(),
  /** Exact version of the AWS provider chart. */
  providerChartVersion: z.string(),
  /** How often mounted secrets are re-read, as a Go duration. */
  rotationPollInterval: z.string().regex(/^\d+(s|m|h)$/, 'must be a duration such as 2m'),
});
export type SecretsStoreCsiSettings = z.infer<typeof settingsSchema>;

/** The add-on: the driver and AWS provider releases (cluster part only; no identity of its own). */
export const SECRETS_STORE_CSI: PlatformAddon<SecretsStoreCsiSettings> = {
  id: SECRETS_STORE_CSI_DEFAULTS.id,
  summary: 'Secrets Store CSI driver + AWS provider: Secrets Manager / SSM values as files (and Secrets)',
  settingsSchema,
  defaults: {
    enabled: true,
    chartVersion: SECRETS_STORE_CSI_DEFAULTS.driver.chart.version,
    providerChartVersion: SECRETS_STORE_CSI_DEFAULTS.provider.chart.version,
    rotationPollInterval: SECRETS_STORE_CSI_DEFAULTS.rotationPollInterval,
  },
  cluster(scope, context, settings) {
    const csi = new SecretsStoreCsi(scope, SECRETS_STORE_CSI_DEFAULTS.id, {
      driverChartVersion: settings.chartVersion,
      providerChartVersion: settings.providerChartVersion,
      rotationPollInterval: settings.rotationPollInterval,
      // Its DaemonSets' Pods: the Load Balancer Controller's Pod webhook must answer first.
      dependsOn: context.webhooks,
      tolerations: context.systemNodes?.tolerations,
    });
    return { installed: [csi.driver.release, csi.provider.release] };
  },
};
