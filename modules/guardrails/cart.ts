/**
 * The cart as the guardrails find it: containers whose effective environment selects the DynamoDB persistence
 * provider (wherever and however they are deployed), the tables with the cart's data model, and the table and
 * region each cart container is configured with — read with the service's own names and rules.
 */
import {
  CUSTOMER_INDEX_NAME,
  DEFAULT_TABLE_NAME,
  ENV,
  PERSISTENCE_PROVIDERS,
} from '@cart-platform/service/contract';
import { isUnset } from '@cart-platform/service/env-parsing';
import type { EnvValue } from './environment';
import { kubernetesModel, type ContainerView } from './kubernetes-model';
import type { ElementView, SynthesizedApp } from './synthesized-app';
import { blocks } from './values';

const DYNAMODB_PROVIDER = PERSISTENCE_PROVIDERS[1];

/** A variable as the service reads it: undefined when unset or blank. */
export function setting(cart: ContainerView, name: string): EnvValue | undefined {
  const value = cart.environment.get(name);
  if (value === undefined) return undefined;
  return value.text !== undefined && isUnset(value.text) ? undefined : value;
}

const memo = new WeakMap<SynthesizedApp, ContainerView[]>();

/** Containers that run the cart against DynamoDB: the service reads `RETAIL_CART_PERSISTENCE_PROVIDER=dynamodb`. */
export function cartContainers(app: SynthesizedApp): ContainerView[] {
  const cached = memo.get(app);
  if (cached !== undefined) return cached;
  const found = kubernetesModel(app).containers.filter(
    (c) => setting(c, ENV.provider)?.text?.trim() === DYNAMODB_PROVIDER,
  );
  memo.set(app, found);
  return found;
}

/** Tables with the cart's data model (the `idx_global_customerId` index): the ones the cart may point at. */
export function cartTables(app: SynthesizedApp): ElementView[] {
  return app
    .resources('aws_dynamodb_table')
    .filter((table) =>
      blocks(table.config.global_secondary_index).some((i) => i.name === CUSTOMER_INDEX_NAME),
    );
}

export function tableName(app: SynthesizedApp, table: ElementView): string | undefined {
  return app.literal(table.config.name, table);
}

/** The table a cart container is configured with, and where that is set. */
export function configuredTable(cart: ContainerView): { name?: string; setting?: EnvValue; where: string } {
  const value = setting(cart, ENV.tableName);
  if (value === undefined) {
    return { name: DEFAULT_TABLE_NAME, where: `the default (${ENV.tableName} is not set)` };
  }
  const named = value.viaEnvFrom ? value.where : `${value.where} ${ENV.tableName}`;
  return { name: value.text?.trim(), setting: value, where: `${named} in ${value.source.path}` };
}

/** The region variable the service reads (AWS_REGION, else AWS_DEFAULT_REGION). */
export function configuredRegion(cart: ContainerView): EnvValue | undefined {
  return setting(cart, ENV.region) ?? setting(cart, ENV.defaultRegion);
}

/** The table of the app a cart container uses, when the app defines it. */
export function tableOf(app: SynthesizedApp, cart: ContainerView): ElementView | undefined {
  const name = configuredTable(cart).name;
  return cartTables(app).find((t) => tableName(app, t) === name);
}

export function describeContainer(cart: ContainerView): string {
  return `${cart.pod.source.path} (${cart.container.init ? 'init container' : 'container'} "${cart.container.name}")`;
}
