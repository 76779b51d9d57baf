/** Which stacks a command acts on: the ones named, or every stack of the environment, minus declared skips. */
import { dependencyOrder, type ManifestStack } from './manifest';
import { CommandError } from './run';

export interface Selection {
  /** In dependency order (deploy, diff) or reversed (destroy). */
  readonly stacks: readonly ManifestStack[];
  /** Stacks left out by CART_SKIP_STACKS, for the report. */
  readonly skipped: readonly string[];
}

export interface SelectOptions {
  /** Stack ids the user named; empty means every stack. */
  readonly requested: readonly string[];
  /** Stack ids to leave out (CART_SKIP_STACKS). */
  readonly skip: readonly string[];
  /** Stack ids left out of "every stack" (destroy leaves the state bucket to `retire`). @default [] */
  readonly excludeFromAll?: readonly string[];
  /** Reverse dependency order (dependants first). @default false */
  readonly reverse?: boolean;
}

export function selectStacks(all: readonly ManifestStack[], options: SelectOptions): Selection {
  const known = new Set(all.map((s) => s.id));
  const unknown = [...options.requested, ...options.skip].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new CommandError(
      `no stack named ${unknown.map((u) => `"${u}"`).join(', ')} in this environment; its stacks: ${[...known].join(', ')}`,
    );
  }
  const exclude = new Set(options.excludeFromAll ?? []);
  const wanted =
    options.requested.length > 0
      ? new Set(options.requested)
      : new Set([...known].filter((id) => !exclude.has(id)));
  const skipped = [...wanted].filter((id) => options.skip.includes(id));
  const ordered = dependencyOrder(all).filter((s) => wanted.has(s.id) && !options.skip.includes(s.id));
  return { stacks: options.reverse ? ordered.reverse() : ordered, skipped };
}
