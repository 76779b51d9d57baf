/** The per-stack result table the integration run prints and writes to integration-results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StackReport } from './stack-lifecycle';

export interface SkippedStack {
  readonly id: string;
  readonly reason: string;
}

function cell(value: number | undefined): string {
  return value === undefined ? '-' : String(value);
}

/** A Markdown table (one row per stack) followed by every skipped and ignored resource with its reason. */
export function formatReport(
  reports: readonly StackReport[],
  notApplied: readonly SkippedStack[],
  header: string,
): string {
  const rows = [
    '| stack | planned | applied | skipped | changes after apply | destroy | time (s) |',
    '|---|---:|---:|---:|---:|---|---:|',
    ...reports.map((r) => {
      const destroy =
        r.destroyError !== undefined
          ? 'FAILED'
          : r.destroyed === undefined
            ? 'not run'
            : `ok (${r.destroyed})`;
      const seconds = Object.values(r.timings).reduce((a, b) => a + b, 0);
      return `| ${r.id} | ${cell(r.planned)} | ${cell(r.applied)} | ${r.plan.skipped.length} | ${cell(
        r.changesAfterApply,
      )} | ${destroy} | ${seconds.toFixed(1)} |`;
    }),
    ...notApplied.map((s) => `| ${s.id} | - | - | all | - | - | - (${s.reason}) |`),
  ];
  const details: string[] = [];
  for (const r of reports) {
    for (const s of r.plan.skipped) details.push(`- ${r.id}: skipped ${s.address} — ${s.reason}`);
    for (const i of r.plan.ignored) {
      details.push(
        `- ${r.id}: applied ${i.address}, ignoring drift in ${i.attributes.join(', ')} — ${i.reason}`,
      );
    }
    for (const x of r.plan.relaxed) {
      details.push(
        `- ${r.id}: applied ${x.address} without its ordering on ${x.dropped.join(', ')} (an emulator gap)`,
      );
    }
    for (const c of r.pendingChanges ?? []) details.push(`- ${r.id}: CHANGE AFTER APPLY ${c}`);
    if (r.error !== undefined) details.push(`- ${r.id}: ERROR ${r.error.split('\n').join(' / ')}`);
    if (r.destroyError !== undefined)
      details.push(`- ${r.id}: DESTROY ERROR ${r.destroyError.split('\n').join(' / ')}`);
  }
  const timing = reports.map(
    (r) =>
      `- ${r.id}: ${Object.entries(r.timings)
        .map(([k, v]) => `${k} ${v.toFixed(1)}s`)
        .join(', ')}`,
  );
  return [header, '', ...rows, '', ...details, '', 'Time per step:', ...timing, ''].join('\n');
}

/** Writes the report (creating the folder). */
export function writeReport(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
