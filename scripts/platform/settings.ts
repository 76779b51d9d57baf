/**
 * What the platform commands read from the environment, parsed once: the environment's configuration (through the
 * stacks' own `environmentFromVariables`) and the few variables that only steer the commands.
 */
import { z } from 'zod';
import type { EnvironmentConfig } from '../../stacks/config/schema';
import { environmentFromVariables } from '../../stacks/config/environments';
import { CommandError } from './run';

export interface CommandSettings {
  readonly config: EnvironmentConfig;
  /**
   * Stacks `deploy`, `diff` and `retire` leave out, with the reason printed each time (`CART_SKIP_STACKS`,
   * comma-separated). For machines that cannot install a stack's providers (the offline test runner has no helm or
   * kubernetes provider); never needed with registry access.
   */
  readonly skipStacks: readonly string[];
  /** Where the step summary goes in GitHub Actions (`GITHUB_STEP_SUMMARY`). */
  readonly stepSummaryFile?: string;
}

const stackList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  )
  .pipe(z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a stack id such as cart-workload')));

export function commandSettings(variables: Readonly<Record<string, string | undefined>>): CommandSettings {
  const skip = stackList.safeParse(variables.CART_SKIP_STACKS ?? '');
  if (!skip.success) {
    throw new CommandError(
      `CART_SKIP_STACKS=${JSON.stringify(variables.CART_SKIP_STACKS)}: ${skip.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  return {
    config: environmentFromVariables(variables),
    skipStacks: skip.data,
    stepSummaryFile: variables.GITHUB_STEP_SUMMARY || undefined,
  };
}
