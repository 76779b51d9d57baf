/** Small, exact statistics over raw samples (no histogram buckets: sub-millisecond latencies matter here). */

/** Nearest-rank percentile (p in 0..100) of samples; NaN for none. Sorts a copy. */
export function percentile(samples: ArrayLike<number>, p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface RunStats {
  readonly min: number;
  readonly median: number;
  readonly runs: number;
}

/** Minimum and median of repeated runs: the minimum is the least noisy estimate on a shared machine. */
export function runStats(samples: readonly number[]): RunStats {
  return { min: Math.min(...samples), median: percentile(samples, 50), runs: samples.length };
}

/** a / b, NaN-safe, rounded to 2 decimals for the report. */
export function ratio(a: number, b: number): number {
  return b > 0 && Number.isFinite(a) ? Math.round((a / b) * 100) / 100 : Number.NaN;
}

/** Rounds to `digits` decimals (for the JSON and the table). */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
