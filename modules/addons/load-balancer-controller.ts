import { TerraformOutput, Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { z } from 'zod';
import { requireIdentity, type AddonIam, type HelmChartRef, type PlatformAddon } from './addon';
import { AddonIdentity } from './addon-identity';
import { HelmChart } from './helm-chart';
import type { SystemNodePlacement } from '../system-nodes';
// The upstream policy (kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json), committed as
// data so a plan never downloads it; bump it together with the chart.
import upstreamPolicy from './policies/lbc-iam-policy.json';

/** The chart, where it runs and as whom; the Pod Identity association names the same service account. */
export const LOAD_BALANCER_CONTROLLER_DEFAULTS = {
  id: 'aws-load-balancer-controller',
  releaseName: 'aws-load-balancer-controller',
  chart: {
    chart: 'aws-load-balancer-controller',
    repository: 'https://aws.github.io/eks-charts',
    version: '3.5.0',
  },
  namespace: 'kube-system',
  serviceAccount: 'aws-load-balancer-controller',
  replicas: 2,
} as const;

/**
 * The step Helm skips on a chart bump: Helm installs a chart's `crds/` directory on the first install only and never
 * upgrades it, so the controller of a new chart would run against the old TargetGroupBinding / IngressClassParams
 * schemas. Apply the CRDs of the version being deployed first (the chart's `crds/` kustomization at its release tag,
 * kubernetes-sigs/aws-load-balancer-controller `helm/aws-load-balancer-controller/crds`).
 */
export function loadBalancerControllerCrdCommand(chartVersion: string): string {
  return `kubectl apply -k "github.com/kubernetes-sigs/aws-load-balancer-controller/helm/aws-load-balancer-controller/crds?ref=v${chartVersion}"`;
}

/** The upstream IAM policy, with its `arn:aws:` ARNs moved to the given partition. */
export function loadBalancerControllerPolicy(partition: string): string {
  return JSON.stringify(upstreamPolicy).replaceAll('"arn:aws:', `"arn:${partition}:`);
}

/** The controller's permissions: the upstream policy as one customer-managed policy. */
export function loadBalancerControllerIam(partition: string): AddonIam {
  return { customerPolicies: [{ name: 'policy', document: loadBalancerControllerPolicy(partition) }] };
}

export interface LoadBalancerControllerProps {
  /** The cluster's name (`--cluster-name`: tags and discovers its load balancers). */
  readonly clusterName: string;
  /** The cluster's region: nodes require IMDSv2 with hop limit 1, so the controller cannot discover it. */
  readonly region: string;
  /** The cluster's VPC, for the same reason. */
  readonly vpcId: string;
  /**
   * The service account the chart creates; must be the one the Pod Identity association names.
   * @default 'aws-load-balancer-controller'
   */
  readonly serviceAccount?: string;
  /** Namespace of the release. @default 'kube-system' */
  readonly namespace?: string;
  /** Chart version. @default LOAD_BALANCER_CONTROLLER_DEFAULTS.chart.version */
  readonly chartVersion?: string;
  /** Controller replicas (leader election; two keep the webhooks answering during a node drain). @default 2 */
  readonly replicas?: number;
  /** Resources the release waits for (same stack). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Where it runs: the system node group (nodeSelector and toleration). @default - anywhere */
  readonly systemNodes?: SystemNodePlacement;
}

/**
 * The AWS Load Balancer Controller Helm release. It waits until the controller is ready, because the chart
 * registers a mutating webhook for Pods (the readiness-gate injection, in namespaces labelled for it) and a
 * validating one for Ingresses: an object created before they answer fails, so other releases that create Pods
 * depend on this one. Its Service mutating webhook is off (see the values).
 */
export class LoadBalancerController extends Construct {
  public readonly chart: HelmChartRef;
  public readonly namespace: string;
  public readonly serviceAccount: string;
  public readonly helm: HelmChart;
  /** The chart values. */
  public readonly values: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerProps) {
    super(scope, id);
    const d = LOAD_BALANCER_CONTROLLER_DEFAULTS;
    this.chart = { ...d.chart, version: props.chartVersion ?? d.chart.version };
    this.namespace = props.namespace ?? d.namespace;
    this.serviceAccount = props.serviceAccount ?? d.serviceAccount;
    const replicas = props.replicas ?? d.replicas;
    if (!Token.isUnresolved(replicas) && !(Number.isInteger(replicas) && replicas >= 1 && replicas <= 5)) {
      throw new Error(`LoadBalancerController replicas: ${replicas} must be an integer from 1 to 5`);
    }
    this.values = {
      clusterName: props.clusterName,
      region: props.region,
      vpcId: props.vpcId,
      replicaCount: replicas,
      serviceAccount: { create: true, name: this.serviceAccount },
      // The chart's Service mutating webhook (it stamps `loadBalancerClass` on new LoadBalancer Services so the
      // controller, not the in-tree cloud provider, provisions NLBs) intercepts every Service CREATE in the cluster
      // with failurePolicy Fail: while no controller pod answers (upgrade, node drain, a crash loop), no Service
      // can be created anywhere — CoreDNS's, an add-on's, the cart's. The platform creates no LoadBalancer Services
      // (the cart is ClusterIP, exposed through an Ingress), so the webhook has nothing to do here: off. A
      // workload that needs an NLB sets `spec.loadBalancerClass: service.k8s.aws/nlb` itself. The key is in the
      // 3.5.0 chart's values (`enableServiceMutatorWebhook`, default true; __tests__/fixtures/charts).
      enableServiceMutatorWebhook: false,
      ...(props.systemNodes !== undefined && {
        nodeSelector: { ...props.systemNodes.nodeSelector },
        tolerations: [...props.systemNodes.tolerations],
      }),
    };
    this.helm = new HelmChart(this, 'chart', {
      releaseName: d.releaseName,
      chart: this.chart,
      namespace: this.namespace,
      values: this.values,
      wait: true,
      dependsOn: props.dependsOn,
    });
  }
}

const settingsSchema = z.strictObject({
  enabled: z.boolean(),
  /** Exact chart version. */
  chartVersion: z.string(),
  /** Controller replicas. */
  replicas: z.number().int().min(1).max(5),
});
export type LoadBalancerControllerSettings = z.infer<typeof settingsSchema>;

/**
 * The add-on: the controller's Pod Identity role, policy and association (AWS part), its Helm release (cluster
 * part). It provides the webhooks the other add-ons' Pods and Services wait for.
 */
export const LOAD_BALANCER_CONTROLLER: PlatformAddon<LoadBalancerControllerSettings> = {
  id: LOAD_BALANCER_CONTROLLER_DEFAULTS.id,
  summary: 'AWS Load Balancer Controller: ALBs for Ingresses, NLBs for LoadBalancer Services',
  settingsSchema,
  defaults: {
    enabled: true,
    chartVersion: LOAD_BALANCER_CONTROLLER_DEFAULTS.chart.version,
    replicas: LOAD_BALANCER_CONTROLLER_DEFAULTS.replicas,
  },
  providesWebhooks: true,
  aws(scope, context) {
    const d = LOAD_BALANCER_CONTROLLER_DEFAULTS;
    const identity = new AddonIdentity(scope, d.id, {
      cluster: context.cluster,
      addonId: d.id,
      namespace: d.namespace,
      serviceAccount: d.serviceAccount,
      iam: loadBalancerControllerIam(context.cluster.partition),
      roleName: `${context.clusterNameLiteral}-${d.id}`,
    });
    new TerraformOutput(scope, 'load-balancer-controller-role-arn', { value: identity.outputs.roleArn });
    const association = identity.identity.association;
    return { identity: identity.outputs, installed: association !== undefined ? [association] : [] };
  },
  cluster(scope, context, settings) {
    const identity = requireIdentity(context, LOAD_BALANCER_CONTROLLER_DEFAULTS.id);
    const controller = new LoadBalancerController(scope, LOAD_BALANCER_CONTROLLER_DEFAULTS.id, {
      clusterName: context.clusterName,
      region: context.region,
      vpcId: context.vpcId,
      namespace: identity.namespace,
      serviceAccount: identity.serviceAccount,
      chartVersion: settings.chartVersion,
      replicas: settings.replicas,
      dependsOn: context.webhooks,
      systemNodes: context.systemNodes,
    });
    return { installed: [controller.helm.release] };
  },
};
