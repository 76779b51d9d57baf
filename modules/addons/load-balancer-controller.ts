import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CLUSTER_PREREQUISITES, type AddonDescription, type HelmChartRef } from './addon';
import { HelmChart } from './helm-chart';
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

/** The upstream IAM policy, with its `arn:aws:` ARNs moved to the given partition. */
export function loadBalancerControllerPolicy(partition: string): string {
  return JSON.stringify(upstreamPolicy).replaceAll('"arn:aws:', `"arn:${partition}:`);
}

/** The add-on's description (the contract of modules/addons/addon.ts). */
export function loadBalancerControllerAddon(
  partition: string,
  chartVersion: string = LOAD_BALANCER_CONTROLLER_DEFAULTS.chart.version,
): AddonDescription {
  const d = LOAD_BALANCER_CONTROLLER_DEFAULTS;
  return {
    id: d.id,
    summary: 'AWS Load Balancer Controller: ALBs for Ingresses, NLBs for LoadBalancer Services',
    install: { kind: 'helm', charts: [{ ...d.chart, version: chartVersion }] },
    namespace: d.namespace,
    serviceAccount: d.serviceAccount,
    iam: { customerPolicies: [{ name: 'policy', document: loadBalancerControllerPolicy(partition) }] },
    waitsFor: [...CLUSTER_PREREQUISITES, 'its Pod Identity association (addons stack)'],
  };
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
  /** Chart version. @default '3.5.0' */
  readonly chartVersion?: string;
  /** Controller replicas (leader election; two keep the webhooks answering during a node drain). @default 2 */
  readonly replicas?: number;
  /** Resources the release waits for (same stack). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The AWS Load Balancer Controller Helm release. It waits until the controller is ready, because the chart
 * registers a mutating webhook for Services and Pods: a Service created before the webhook answers fails, so other
 * releases that create Services depend on this one.
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
