/**
 * One stack's life against the emulator: init (S3 backend on the emulator, native lock file) → validate →
 * plan → apply → plan again, which must be empty → later destroy. The stack is applied whole and exactly as
 * synthesized: no -target, no patched copy (what moto lacks, the gap filler in front of it provides).
 * Each step's result goes into the stack's report row; a failing step throws with Terraform's own diagnostics.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from './process';
import { expectedInstances } from './stack-resources';
import type { SynthesizedStack } from './synth';
import { describeFailure, terraform } from './terraform-cli';
import { changeSummary, completedResources, errors, plannedChanges, terraformEvents } from './terraform-json';

export interface StackReport {
  readonly id: string;
  /** Resource instances in the synthesized stack: what apply must create. */
  readonly expectedInstances: number;
  /** Resource changes in the first plan. */
  planned?: number;
  /** Resources created by apply. */
  applied?: number;
  /** Changes the plan after apply still wanted (must be 0), and what they were. */
  changesAfterApply?: number;
  pendingChanges?: string[];
  /** Resources destroyed, or the failure. */
  destroyed?: number;
  destroyError?: string;
  /** Seconds per step. */
  readonly timings: Record<string, number>;
  error?: string;
}

export interface LifecycleContext {
  readonly cliConfigFile: string;
  /** `-parallelism` for plan/apply/destroy. */
  readonly parallelism: number;
  /** Where each command's full output is written (`<stack>-<step>.log`). */
  readonly logDir: string;
}

/** The stack's empty report row. */
export function newStackReport(stack: SynthesizedStack): StackReport {
  return { id: stack.id, expectedInstances: expectedInstances(stack.json), timings: {} };
}

async function step(
  report: StackReport,
  context: LifecycleContext,
  stack: SynthesizedStack,
  name: string,
  args: string[],
  accept: (result: RunResult) => boolean = (r) => r.code === 0,
): Promise<RunResult> {
  const result = await terraform(args, { cwd: stack.dir, cliConfigFile: context.cliConfigFile });
  report.timings[name] = (report.timings[name] ?? 0) + result.durationMs / 1000;
  writeFileSync(
    join(context.logDir, `${stack.id}-${name}.log`),
    `$ ${result.command}\n${result.stdout}\n${result.stderr}`,
  );
  if (!accept(result)) {
    const diagnostics = errors(terraformEvents(result.stdout));
    const message = `${stack.id}: terraform ${name} failed\n${
      diagnostics.length > 0 ? diagnostics.join('\n') : describeFailure(result)
    }`;
    report.error ??= message;
    throw new Error(message);
  }
  return result;
}

/** init → validate → plan → apply → plan -detailed-exitcode. Throws on the first failing step. */
export async function applyStack(
  stack: SynthesizedStack,
  report: StackReport,
  context: LifecycleContext,
): Promise<void> {
  const parallelism = `-parallelism=${context.parallelism}`;
  await step(report, context, stack, 'init', ['init', '-input=false', '-no-color']);
  await step(report, context, stack, 'validate', ['validate', '-no-color']);
  // Nothing exists yet, so there is nothing to refresh.
  const plan = await step(report, context, stack, 'plan', ['plan', '-json', '-refresh=false', parallelism]);
  report.planned = countChanges(changeSummary(terraformEvents(plan.stdout)));
  const apply = await step(report, context, stack, 'apply', ['apply', '-json', '-auto-approve', parallelism]);
  report.applied = completedResources(terraformEvents(apply.stdout)).length;
  // Refreshes (no -refresh=false): the emulator's view must match the configuration.
  const replan = await step(
    report,
    context,
    stack,
    'replan',
    ['plan', '-json', '-detailed-exitcode', parallelism],
    (r) => r.code === 0 || r.code === 2,
  );
  const events = terraformEvents(replan.stdout);
  report.pendingChanges = plannedChanges(events);
  report.changesAfterApply = replan.code === 0 ? 0 : Math.max(1, countChanges(changeSummary(events)));
}

/** destroy (no refresh needed: the state is what apply just wrote). Records the result; throws on failure. */
export async function destroyStack(
  stack: SynthesizedStack,
  report: StackReport,
  context: LifecycleContext,
): Promise<void> {
  try {
    const destroy = await step(report, context, stack, 'destroy', [
      'destroy',
      '-json',
      '-auto-approve',
      '-refresh=false',
      `-parallelism=${context.parallelism}`,
    ]);
    report.destroyed = completedResources(terraformEvents(destroy.stdout)).length;
  } catch (error) {
    report.destroyError = (error as Error).message;
    throw error;
  }
}

function countChanges(changes: ReturnType<typeof changeSummary>): number {
  return changes ? changes.add + changes.change + changes.remove : 0;
}
