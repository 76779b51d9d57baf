/** Markdown tables padded to their widest cell, so the report reads the same in a terminal and in a README. */

/** Figures: digits, separators, ratios, arrows, n/a. Such columns are right-aligned, the rest left. */
const FIGURE = /^[-\d.,×/→ ]+$|^n\/a$/;

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length), 3));
  const right = headers.map((_, i) => rows.length > 0 && rows.every((r) => FIGURE.test(r[i] ?? '')));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (right[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** A number with `digits` decimals, or "n/a". */
export function fixed(value: number | undefined, digits = 1): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}

/** A ratio as "×1.23". */
export function times(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : `×${value.toFixed(2)}`;
}

/** An integer with thousands separators. */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
