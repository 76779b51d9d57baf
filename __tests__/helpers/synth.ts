/** Helpers for asserting on synthesized Terraform JSON with vitest (cdktf ships Jest matchers only). */
import { App, Testing, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentOverrides } from '../../stacks/config/schema';
import { environmentConfig } from '../../stacks/config/environments';
import { buildPlatform, type PlatformStacks } from '../../stacks/platform-app';

export type SynthJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
  provider?: Record<string, unknown[]>;
  terraform?: Record<string, unknown>;
};

/** Synthesizes one stack (cross-stack references resolved) and parses it. */
export function synthStack(stack: TerraformStack): SynthJson {
  stack.prepareStack();
  return JSON.parse(Testing.synth(stack)) as SynthJson;
}

/** Synthesizes constructs built in a throwaway test stack and parses the result. */
export function synthScope(build: (scope: Construct) => void): SynthJson {
  return JSON.parse(Testing.synthScope(build)) as SynthJson;
}

/** All resources of a type, as `[logicalId, config]` pairs' configs, in synth order. */
export function resourcesOf(json: SynthJson, type: string): Record<string, unknown>[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** The only resource of a type; fails when there are none or several. */
export function onlyResource(json: SynthJson, type: string): Record<string, unknown> {
  const found = resourcesOf(json, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

/** Resource logical ids of a type. */
export function resourceIds(json: SynthJson, type: string): string[] {
  return Object.keys(json.resource?.[type] ?? {});
}

/** Builds the whole platform for an environment in a fresh app (stacks are not yet synthesized). */
export function buildTestPlatform(
  environment = 'dev',
  overrides?: EnvironmentOverrides,
): { app: App; stacks: PlatformStacks } {
  const app = Testing.app();
  const stacks = buildPlatform(app, environmentConfig(environment, overrides));
  return { app, stacks };
}

/** Parses an IAM policy JSON string from synthesized output. */
export function parsePolicy(policy: unknown): { Statement: Array<Record<string, unknown>> } {
  if (typeof policy !== 'string') throw new Error(`policy is not a string: ${JSON.stringify(policy)}`);
  return JSON.parse(policy) as { Statement: Array<Record<string, unknown>> };
}
