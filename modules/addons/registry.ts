/**
 * The add-ons the stacks install, in order. Adding an add-on: its file under modules/addons/, one line here, one
 * line in the `addons` section of stacks/config/schema.ts (its `settingsSchema`) and one in stacks/config/environments.ts (its
 * `defaults`). docs/addons.md walks through it.
 */
import type { AddonSettings, CoreAddon, PlatformAddon } from './addon';
import { ARGO_CD } from './argo-cd';
import { CLOUDWATCH_OBSERVABILITY } from './cloudwatch-observability';
import { COREDNS, KUBE_PROXY, POD_IDENTITY_AGENT, VPC_CNI } from './core-addons';
import { EBS_CSI_DRIVER } from './ebs-csi-driver';
import { EXTERNAL_DNS } from './external-dns';
import { KARPENTER } from './karpenter';
import { LOAD_BALANCER_CONTROLLER } from './load-balancer-controller';
import { METRICS_SERVER } from './metrics-server';
import { SECRETS_STORE_CSI } from './secrets-store-csi';

/** The platform add-ons, by their key in the config's `addons` section, in registry order. */
export const PLATFORM_ADDONS = {
  ebsCsi: EBS_CSI_DRIVER,
  externalDns: EXTERNAL_DNS,
  metricsServer: METRICS_SERVER,
  loadBalancerController: LOAD_BALANCER_CONTROLLER,
  secretsStoreCsi: SECRETS_STORE_CSI,
  karpenter: KARPENTER,
  argoCd: ARGO_CD,
  cloudwatchObservability: CLOUDWATCH_OBSERVABILITY,
} as const;

/** The core add-ons, in the order they come up within their phase. */
export const CORE_ADDONS: readonly CoreAddon[] = [POD_IDENTITY_AGENT, VPC_CNI, KUBE_PROXY, COREDNS];

export type PlatformAddonKey = keyof typeof PLATFORM_ADDONS;
type SettingsOf<A> = A extends PlatformAddon<infer S> ? S : never;
/** The `addons` section of the configuration: each add-on's settings under its key. */
export type PlatformAddonsSettings = {
  readonly [K in PlatformAddonKey]: SettingsOf<(typeof PLATFORM_ADDONS)[K]>;
};

/** An add-on with its own settings, ready to install. */
export interface EnabledAddon {
  readonly key: PlatformAddonKey;
  readonly addon: PlatformAddon<AddonSettings>;
  readonly settings: AddonSettings;
}

// The registry seen through its settings type, so each add-on is paired with its own settings (checked here once).
const REGISTRY: { readonly [K in PlatformAddonKey]: PlatformAddon<PlatformAddonsSettings[K]> } =
  PLATFORM_ADDONS;

/** The enabled platform add-ons with their settings, in registry order. */
export function enabledAddons(settings: PlatformAddonsSettings): EnabledAddon[] {
  const keys = Object.keys(REGISTRY) as PlatformAddonKey[];
  return keys.filter((key) => settings[key].enabled).map((key) => pair(key, settings));
}

function pair<K extends PlatformAddonKey>(key: K, settings: PlatformAddonsSettings): EnabledAddon {
  const addon: PlatformAddon<PlatformAddonsSettings[K]> = REGISTRY[key];
  return { key, addon: addon as PlatformAddon<AddonSettings>, settings: settings[key] };
}

/**
 * The order the cluster parts are installed in: the add-ons that provide admission webhooks first, then the
 * others, each group in registry order.
 */
export function installOrder<T extends { readonly addon: { readonly providesWebhooks?: boolean } }>(
  addons: readonly T[],
): T[] {
  const first = addons.filter((a) => a.addon.providesWebhooks === true);
  return [...first, ...addons.filter((a) => a.addon.providesWebhooks !== true)];
}
