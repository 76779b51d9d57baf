/**
 * `npm run deploy | diff | destroy` for the environment named by CART_ENV. Each command synthesizes the app into
 * the environment's own folder (cdktf.out/<env>) and then drives the cdktf CLI one stack at a time, in dependency
 * order, stopping at the first failure:
 *
 * - `cdktf deploy '*'` runs `terraform init` on every selected stack before it applies any, and with
 *   `--ignore-missing-stack-dependencies` (needed to deploy a subset) it drops the dependency order altogether and
 *   starts every stack at once. One stack per invocation keeps the order the app declares, whatever is selected,
 *   and leaves nothing half-started when a stack fails.
 * - `cdktf diff` plans one stack per invocation anyway; `npm run diff` plans every stack and prints one line each.
 */
import { appendFileSync } from 'node:fs';
import { environmentOutDir, synthesizeEnvironment } from './environment';
import { readManifest } from './manifest';
import { describePlan, parsePlan, planTable, type PlanResult } from './plan-summary';
import { CommandError, cdktf, check } from './run';
import { selectStacks, type Selection } from './selection';
import type { CommandSettings } from './settings';

/** The stack whose bucket holds every other stack's state: `destroy` leaves it to `retire`. */
export const STATE_STACK = 'state';

function announce(selection: Selection, verb: string, skipReason: string): void {
  console.log(`${verb}: ${selection.stacks.map((s) => s.id).join(' → ') || '(nothing)'}`);
  for (const id of selection.skipped) console.log(`skipped ${id}: ${skipReason}`);
}

const SKIP_REASON = 'listed in CART_SKIP_STACKS';

/**
 * `npm run deploy [-- <stack>…]`. "Every stack" leaves out the state stack: `npm run bootstrap` applies it (and
 * re-running bootstrap is how its changes are applied), so a full deploy does not plan it a second time; naming it
 * (`npm run deploy -- state`) still deploys it.
 */
export async function deploy(settings: CommandSettings, requested: string[], flags: string[]): Promise<void> {
  const environment = settings.config.environment;
  const outDir = environmentOutDir(environment);
  const selection = selectStacks(await synthesizeEnvironment(environment), {
    requested,
    skip: settings.skipStacks,
    excludeFromAll: [STATE_STACK],
  });
  announce(selection, `deploy ${environment}`, SKIP_REASON);
  if (requested.length === 0) console.log(`not deployed: ${STATE_STACK} (npm run bootstrap applies it)`);
  for (const stack of selection.stacks) {
    const args = [
      'deploy',
      stack.id,
      '--output',
      outDir,
      '--skip-synth',
      '--ignore-missing-stack-dependencies',
    ];
    check(await cdktf([...args, ...flags], { capture: false }), `cdktf deploy ${stack.id}`);
  }
}

export async function diff(
  settings: CommandSettings,
  requested: string[],
  flags: string[],
): Promise<boolean> {
  const environment = settings.config.environment;
  const outDir = environmentOutDir(environment);
  const selection = selectStacks(await synthesizeEnvironment(environment), {
    requested,
    skip: settings.skipStacks,
  });
  announce(selection, `diff ${environment}`, SKIP_REASON);
  const rows: { stack: string; result: PlanResult }[] = [];
  for (const stack of selection.stacks) {
    const outcome = await cdktf(['diff', stack.id, '--output', outDir, '--skip-synth', ...flags]);
    rows.push({ stack: stack.id, result: parsePlan(outcome.output, outcome.code) });
  }
  console.log(`\nplan summary (${environment}):`);
  for (const row of rows) console.log(`  ${row.stack}: ${describePlan(row.result)}`);
  for (const id of selection.skipped) console.log(`  ${id}: skipped (${SKIP_REASON})`);
  if (settings.stepSummaryFile !== undefined)
    appendFileSync(settings.stepSummaryFile, planTable(environment, rows));
  return rows.every((r) => r.result.kind !== 'failed');
}

export async function destroy(
  settings: CommandSettings,
  requested: string[],
  flags: string[],
): Promise<void> {
  const environment = settings.config.environment;
  const outDir = environmentOutDir(environment);
  const selection = selectStacks(await synthesizeEnvironment(environment), {
    requested,
    skip: settings.skipStacks,
    excludeFromAll: [STATE_STACK],
    reverse: true,
  });
  if (requested.includes(STATE_STACK)) {
    throw new CommandError(
      `the "${STATE_STACK}" stack holds every other stack's state: remove it with \`npm run retire -- --confirm ${environment}\`, which moves its own state out of the bucket first`,
    );
  }
  const all = new Set(selection.stacks.map((s) => s.id));
  for (const stack of readManifest(outDir)) {
    const blocked = stack.dependencies.find((d) => all.has(d));
    if (blocked !== undefined && !all.has(stack.id) && !selection.skipped.includes(stack.id)) {
      throw new CommandError(
        `"${stack.id}" depends on "${blocked}": destroy it first or with it (npm run destroy -- ${stack.id} ${blocked})`,
      );
    }
  }
  announce(selection, `destroy ${environment}`, SKIP_REASON);
  for (const stack of selection.stacks) {
    const args = [
      'destroy',
      stack.id,
      '--output',
      outDir,
      '--skip-synth',
      '--ignore-missing-stack-dependencies',
    ];
    check(await cdktf([...args, ...flags], { capture: false }), `cdktf destroy ${stack.id}`);
  }
}
