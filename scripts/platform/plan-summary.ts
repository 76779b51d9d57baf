/** What `cdktf diff` printed, reduced to one line per stack (and a Markdown table for GitHub's job summary). */

export type PlanResult =
  | { readonly kind: 'no-changes' }
  | { readonly kind: 'changes'; readonly add: number; readonly change: number; readonly destroy: number }
  | { readonly kind: 'failed'; readonly exitCode: number };

export function parsePlan(output: string, exitCode: number): PlanResult {
  if (exitCode !== 0) return { kind: 'failed', exitCode };
  const plan = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(output);
  if (plan)
    return { kind: 'changes', add: Number(plan[1]), change: Number(plan[2]), destroy: Number(plan[3]) };
  if (/No changes\./.test(output)) return { kind: 'no-changes' };
  // Output-only changes: Terraform says "Changes to Outputs" and no Plan line.
  return { kind: 'changes', add: 0, change: 0, destroy: 0 };
}

export function describePlan(result: PlanResult): string {
  switch (result.kind) {
    case 'no-changes':
      return 'no changes';
    case 'changes':
      return `${result.add} to add, ${result.change} to change, ${result.destroy} to destroy`;
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
