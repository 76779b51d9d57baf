/** The per-stack result table the integration run prints and writes to integration-results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CorrectionUsage } from './aws-gap-filler';
import type { StackReport } from './stack-lifecycle';

export interface SkippedStack {
  readonly id: string;
  readonly reason: string;
}

/** What the gap filler did during the run. */
export interface FillerActivity {
  readonly usage: readonly CorrectionUsage[];
  /** Requests passed to moto untouched. */
  readonly forwarded: number;
}

function cell(value: number | undefined): string {
  return value === undefined ? '-' : String(value);
}

/** Resources the first plan wanted that apply did not create (0 when the whole stack applied). */
function skipped(report: StackReport): string {
  return report.planned === undefined || report.applied === undefined
    ? '-'
    : String(report.planned - report.applied);
}

/**
 * A Markdown table (one row per stack), the failures and changes after apply, the emulator corrections the run
 * exercised, and the time per step.
 */
export function formatReport(
  reports: readonly StackReport[],
  notApplied: readonly SkippedStack[],
  header: string,
  filler?: FillerActivity,
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
      return `| ${r.id} | ${cell(r.planned)} | ${cell(r.applied)} | ${skipped(r)} | ${cell(
        r.changesAfterApply,
      )} | ${destroy} | ${seconds.toFixed(1)} |`;
    }),
    ...notApplied.map((s) => `| ${s.id} | - | - | all | - | - | - (${s.reason}) |`),
  ];
  const details: string[] = [];
  for (const r of reports) {
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
  return [
    header,
    '',
    ...rows,
    '',
    ...(details.length > 0 ? [...details, ''] : []),
    ...(filler === undefined ? [] : [...formatCorrections(filler), '']),
    'Time per step:',
    ...timing,
    '',
  ].join('\n');
}

/** The emulator corrections table: what moto does, and how many requests each correction handled, by operation. */
export function formatCorrections(filler: FillerActivity): string[] {
  const handled = filler.usage.reduce((sum, u) => sum + u.total, 0);
  return [
    `Emulator corrections (the gap filler in front of moto): ${handled} requests answered or corrected, ${filler.forwarded} passed to moto untouched.`,
    '',
    '| correction | what moto 5.2.1 does | requests | by operation |',
    '|---|---|---:|---|',
    ...filler.usage.map((u) => {
      const operations = Object.entries(u.operations)
        .map(([operation, n]) => `${operation} ${n}`)
        .join(', ');
      return `| ${u.name} | ${u.moto} | ${u.total} | ${operations || 'not exercised'} |`;
    }),
  ];
}

/** Writes the report (creating the folder). */
export function writeReport(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
