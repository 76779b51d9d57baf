/** What `cdktf diff` printed, reduced to one line per stack (and a Markdown table for GitHub's job summary). */

export type PlanResult =
  | { readonly kind: 'no-changes' }
  | { readonly kind: 'changes'; readonly add: number; readonly change: number; readonly destroy: number }
  /** Only output values would change: nothing in the account does (Terraform prints no "Plan:" line). */
  | { readonly kind: 'outputs-only' }
  /** The plan ran but printed none of Terraform's summaries: the output says what happened. */
  | { readonly kind: 'unrecognized' }
  | { readonly kind: 'failed'; readonly exitCode: number };

/** Terraform colours its summaries even through a pipe (`\x1b[1mPlan:\x1b[0m 1 to add`): read the text only. */
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

export function parsePlan(output: string, exitCode: number): PlanResult {
  if (exitCode !== 0) return { kind: 'failed', exitCode };
  const text = output.replace(ANSI_ESCAPE, '');
  const plan = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(text);
  if (plan)
    return { kind: 'changes', add: Number(plan[1]), change: Number(plan[2]), destroy: Number(plan[3]) };
  if (/No changes\./.test(text)) return { kind: 'no-changes' };
  if (/Changes to Outputs:/.test(text)) return { kind: 'outputs-only' };
  return { kind: 'unrecognized' };
}

export function describePlan(result: PlanResult): string {
  switch (result.kind) {
    case 'no-changes':
      return 'no changes';
    case 'changes':
      return `${result.add} to add, ${result.change} to change, ${result.destroy} to destroy`;
    case 'outputs-only':
      return 'output values only (no resource changes)';
    case 'unrecognized':
      return 'planned, but no summary recognized (see the output above)';
    case 'failed':
      return `plan failed (exit ${result.exitCode})`;
  }
}

export function planTable(
  environment: string,
  rows: readonly { stack: string; result: PlanResult }[],
): string {
  return [
    `### Plan: ${environment}`,
    '',
    '| stack | plan |',
    '| --- | --- |',
    ...rows.map((r) => `| ${r.stack} | ${describePlan(r.result)} |`),
    '',
  ].join('\n');
}
