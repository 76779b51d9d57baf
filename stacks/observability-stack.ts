import type { Construct } from 'constructs';
import { DataAwsLb } from '@cdktf/provider-aws/lib/data-aws-lb';
import { CART_WORKLOAD_NAME } from '../modules/cart-workload';
import { AlarmTopic } from '../modules/observability/alarm-topic';
import { CartDashboard } from '../modules/observability/cart-dashboard';
import { GENERAL_NODE_POOL } from '../modules/addons/karpenter';
import { cartInstancesMetrics, cartMetrics } from '../modules/observability/cart-metrics';
import { karpenterMetrics } from '../modules/observability/karpenter-metrics';
import { MetricAlarms } from '../modules/observability/metric-alarms';
import {
  validateObservedMetrics,
  type ObservedMetric,
  type ObservedMetricContribution,
} from '../modules/observability/observed-metric';
import { AwsStack, type EnvironmentStackProps } from './environment-stack';
import type { CartOutputs } from './cart-stack';
import type { ClusterOutputs } from './cluster-stack';
import type { EnvironmentConfig } from './config/schema';

export interface ObservabilityStackProps extends EnvironmentStackProps {
  /** The cluster stack's outputs (Container Insights' `ClusterName`, the account). */
  readonly cluster: ClusterOutputs;
  /** The cart stack's outputs (the table). */
  readonly cart: CartOutputs;
  /**
   * Metrics other add-ons contribute (the extension point: Karpenter's "nodes at the NodePool limit" goes here).
   * @default []
   */
  readonly contributions?: readonly ObservedMetricContribution[];
}

/**
 * The cart's alarms and dashboard, from one metric list (modules/observability/cart-metrics.ts): an encrypted SNS
 * topic (optional e-mail subscription), one alarm per metric with a rule, and a dashboard graphing every metric.
 * AWS resources only, so it validates and applies against the emulator.
 */
export class ObservabilityStack extends AwsStack {
  /** Every metric watched, in dashboard order (cart first, then contributions). */
  public readonly metrics: readonly ObservedMetric[];
  public readonly topic: AlarmTopic;
  public readonly alarms: MetricAlarms;
  public readonly dashboard: CartDashboard;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { config, cluster } = props;
    const prefix = `${config.project}-${config.environment}-cart`;
    this.metrics = [
      ...this.cartMetricsOf(props),
      ...[...addonContributions(config, cluster.clusterName), ...(props.contributions ?? [])].flatMap(
        (c) => c.metrics,
      ),
    ];
    validateObservedMetrics(this.metrics);
    this.topic = new AlarmTopic(this, 'alarm-topic', {
      topicName: `${prefix}-alarms`,
      accountId: cluster.accountId,
      partition: cluster.partition,
      email: config.observability.alarmEmail,
    });
    this.alarms = new MetricAlarms(this, 'alarms', {
      namePrefix: prefix,
      metrics: this.metrics,
      actionArns: [this.topic.topic.arn],
    });
    this.dashboard = new CartDashboard(this, 'dashboard', {
      dashboardName: prefix,
      region: config.region,
      metrics: this.metrics,
    });
  }

  /** The ALB the Load Balancer Controller made for the cart's Ingress, found by the tags it puts on it. */
  /** The cart's metrics: the implicit instance's as always, or every team instance's, prefixed with its name. */
  private cartMetricsOf(props: ObservabilityStackProps): ObservedMetric[] {
    const { config, cluster, cart } = props;
    const shared = {
      clusterName: cluster.clusterName,
      workloadName: CART_WORKLOAD_NAME,
      containerInsights: config.addons.cloudwatchObservability.enabled,
    };
    const [implicit] = cart.instances;
    if (implicit !== undefined && implicit.name === undefined) {
      return cartMetrics({
        ...shared,
        tableName: implicit.tableName,
        namespace: implicit.namespace,
        loadBalancer: config.observability.loadBalancerAlarms ? this.cartLoadBalancer(props) : undefined,
      });
    }
    return cartInstancesMetrics(
      cart.instances.map((instance) => ({
        name: instance.name ?? '',
        tableName: instance.tableName,
        namespace: instance.namespace,
      })),
      shared,
    );
  }

  private cartLoadBalancer(props: ObservabilityStackProps): string {
    const { namespace, ingressGroupName } = props.config.cart;
    return new DataAwsLb(this, 'cart-alb', {
      tags: {
        'elbv2.k8s.aws/cluster': props.config.cluster.name,
        // The controller tags an IngressGroup's ALB with the group's name, a lone Ingress's with namespace/name.
        'ingress.k8s.aws/stack': ingressGroupName ?? `${namespace}/${CART_WORKLOAD_NAME}`,
      },
    }).arnSuffix;
  }
}

/** What the environment's add-ons contribute: Karpenter's NodePool limits, when the agent scrapes Karpenter. */
function addonContributions(config: EnvironmentConfig, clusterName: string): ObservedMetricContribution[] {
  const { karpenter, cloudwatchObservability } = config.addons;
  if (!karpenter.enabled || !cloudwatchObservability.enabled) return [];
  return [karpenterMetrics({ clusterName, nodePools: [GENERAL_NODE_POOL] })];
}
