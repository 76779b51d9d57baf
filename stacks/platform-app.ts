import type { App } from 'cdktf';
import { StateStack } from '../backend/state-stack';
import { ClusterStack } from './cluster-stack';
import type { EnvironmentConfig } from './config';
import { NetworkStack } from './network-stack';

/** Stack ids: the folder names under cdktf.out/stacks and the `<env>/<id>.tfstate` keys. Renaming one orphans state. */
export const STACK_IDS = {
  state: 'state',
  network: 'network',
  cluster: 'cluster',
} as const;

/** The stacks of one environment, for tests and tools that inspect them. */
export interface PlatformStacks {
  readonly state?: StateStack;
  readonly network?: NetworkStack;
  readonly cluster?: ClusterStack;
}

/** Builds every stack of an environment into the app, wiring their outputs through typed props. */
export function buildPlatform(app: App, config: EnvironmentConfig): PlatformStacks {
  const state = new StateStack(app, STACK_IDS.state, { config });
  const network = new NetworkStack(app, STACK_IDS.network, { config });
  const cluster = new ClusterStack(app, STACK_IDS.cluster, { config, network: network.outputs });
  return { state, network, cluster };
}
