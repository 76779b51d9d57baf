import type { App } from 'cdktf';
import { StateStack } from './state-stack';
import { GUARDRAIL_POLICIES, enforceGuardrails, type GuardrailPolicy } from '../modules/guardrails';
import { AwsAddonsStack } from './aws-addons-stack';
import { CartStack } from './cart-stack';
import { CartWorkloadStack } from './cart-workload-stack';
import { ClusterStack } from './cluster-stack';
import type { EnvironmentConfig, EnvironmentName } from './config/schema';
import { LocalStack } from './local-stack';
import { NetworkStack } from './network-stack';
import { ObservabilityStack } from './observability-stack';
import { ClusterAddonsStack } from './cluster-addons-stack';
import { DeliveryStack } from './delivery-stack';

/** Stack ids: the folder names under cdktf.out/stacks and the `<env>/<id>.tfstate` keys. Renaming one orphans state. */
export const STACK_IDS = {
  state: 'state',
  network: 'network',
  cluster: 'cluster',
  /** The add-ons' AWS half: EKS add-ons, IAM roles, Pod Identity associations (aws provider only). */
  awsAddons: 'addons',
  /** The add-ons' cluster half: Helm releases and Kubernetes objects (helm + kubernetes providers). */
  clusterAddons: 'platform',
  cart: 'cart',
  cartWorkload: 'cart-workload',
  /** The cart's alarms, their SNS topic and its dashboard (aws provider only). */
  observability: 'observability',
  /** GitHub Actions' OIDC provider and roles; only when `delivery.repository` (CART_GITHUB_REPOSITORY) is set. */
  delivery: 'delivery',
  local: 'local',
} as const;

/** How strict the guardrails are in each environment (docs/guardrails.md). */
export const GUARDRAIL_POLICY_OF: Readonly<Record<EnvironmentName, GuardrailPolicy>> = {
  dev: GUARDRAIL_POLICIES.development,
  prod: GUARDRAIL_POLICIES.production,
  emulator: GUARDRAIL_POLICIES.emulator,
  local: GUARDRAIL_POLICIES.local,
};

/**
 * The environment's policy, adjusted for two deliberate modes: against an emulator (CART_AWS_ENDPOINT) the
 * endpoint overrides are the point, and while retiring (CART_RETIRE) the production protections are being lifted.
 */
export function guardrailPolicyFor(config: EnvironmentConfig): GuardrailPolicy {
  const base = GUARDRAIL_POLICY_OF[config.environment];
  const emulated = config.awsEndpoint !== undefined;
  if (!emulated && !config.retire) return base;
  return {
    name: [base.name, ...(emulated ? ['emulated'] : []), ...(config.retire ? ['retiring'] : [])].join('+'),
    severities: {
      ...base.severities,
      ...(emulated && { 'real-aws': 'off' as const }),
      ...(config.retire && { production: 'off' as const }),
    },
  };
}

/** The stacks of one environment, for tests and tools that inspect them. */
export interface PlatformStacks {
  readonly state?: StateStack;
  readonly network?: NetworkStack;
  readonly cluster?: ClusterStack;
  readonly awsAddons?: AwsAddonsStack;
  readonly clusterAddons?: ClusterAddonsStack;
  readonly cart?: CartStack;
  readonly cartWorkload?: CartWorkloadStack;
  readonly observability?: ObservabilityStack;
  readonly delivery?: DeliveryStack;
  /** The K3s world; when `environment` is `local`, the only stack. */
  readonly local?: LocalStack;
}

/**
 * Builds every stack of an environment into the app, wiring their outputs through typed props, and puts the app
 * under the guardrails: `app.synth()` first evaluates the whole app as Terraform will receive it (whatever is added
 * after this returns included); a GuardrailError (docs/guardrails.md) stops synth before any stack is written.
 */
export function buildPlatform(app: App, config: EnvironmentConfig): PlatformStacks {
  const stacks = buildStacks(app, config);
  enforceGuardrails(app, guardrailPolicyFor(config));
  return stacks;
}

function buildStacks(app: App, config: EnvironmentConfig): PlatformStacks {
  // The local world has no AWS at all: no state bucket, no cluster, just K3s.
  if (config.environment === 'local') {
    return { local: new LocalStack(app, STACK_IDS.local, { config }) };
  }
  const state = new StateStack(app, STACK_IDS.state, { config });
  const network = new NetworkStack(app, STACK_IDS.network, { config });
  const cluster = new ClusterStack(app, STACK_IDS.cluster, { config, network: network.outputs });
  const awsAddons = new AwsAddonsStack(app, STACK_IDS.awsAddons, {
    config,
    network: network.outputs,
    cluster: cluster.outputs,
  });
  const clusterAddons = new ClusterAddonsStack(app, STACK_IDS.clusterAddons, {
    config,
    network: network.outputs,
    cluster: cluster.outputs,
    addons: awsAddons.outputs,
  });
  // The charts' Pod Identity associations must exist before the charts' pods start.
  clusterAddons.addDependency(awsAddons);
  const cart = new CartStack(app, STACK_IDS.cart, { config, cluster: cluster.outputs });
  const cartWorkload = new CartWorkloadStack(app, STACK_IDS.cartWorkload, {
    config,
    cluster: cluster.outputs,
    cart: cart.outputs,
  });
  // Deploy order only (no Terraform reference): the Ingress and Service need the Load Balancer Controller's
  // webhooks running, so `cdktf deploy '*'` must not start cart-workload next to the cluster add-ons.
  cartWorkload.addDependency(clusterAddons);
  const observability = new ObservabilityStack(app, STACK_IDS.observability, {
    config,
    cluster: cluster.outputs,
    cart: cart.outputs,
  });
  // Its ALB alarms read the Load Balancer Controller's ALB, made when the cart's Ingress is applied.
  if (config.observability.loadBalancerAlarms) observability.addDependency(cartWorkload);
  // Every stack keeps its state in the bucket the state stack creates: it comes first, whatever is selected.
  for (const stack of [network, cluster, awsAddons, clusterAddons, cart, cartWorkload, observability])
    stack.addDependency(state);
  const delivery = buildDelivery(app, config, { state, cluster, cart });
  return {
    state,
    network,
    cluster,
    awsAddons,
    clusterAddons,
    cart,
    cartWorkload,
    observability,
    delivery,
  };
}

/** The delivery stack, when a GitHub repository is configured; after `state` (its bucket) and `cart` (its ECR). */
function buildDelivery(
  app: App,
  config: EnvironmentConfig,
  stacks: { state: StateStack; cluster: ClusterStack; cart: CartStack },
): DeliveryStack | undefined {
  if (config.delivery.repository === undefined) return undefined;
  const delivery = new DeliveryStack(app, STACK_IDS.delivery, {
    config,
    cluster: stacks.cluster.outputs,
    cart: stacks.cart.outputs,
    repositoryArn: stacks.cart.repository.repositoryArn,
    // By name, not a cross-stack reference: the state stack's own state is bootstrapped locally first.
    stateBucketArn: `arn:${stacks.cluster.outputs.partition}:s3:::${config.state.bucketName}`,
  });
  delivery.addDependency(stacks.state);
  delivery.addDependency(stacks.cart);
  return delivery;
}
