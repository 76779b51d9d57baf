/** The outcome of a guardrails pass, and the error that stops synth. */
import type { Suppression } from './suppress';
import type { RenderedStack } from './terraform-json';
import type { Finding } from './types';

/** Where a guardrails pass spends its time. */
export interface PassTiming {
  /** Everything: rendering the final JSON (aspects included) and every rule. */
  readonly totalMs: number;
  /** Rendering the final JSON: work `app.synth()` then reuses instead of repeating (see synth-gate.ts). */
  readonly renderMs: number;
}

/** A finding silenced by a suppression (reported all the same). */
export interface SuppressedFinding {
  readonly finding: Finding;
  readonly suppression: Suppression;
}

export class GuardrailReport {
  constructor(
    /** The name of the policy the rules' severities were taken from. */
    public readonly policy: string,
    /** Findings that count: errors and warnings. */
    public readonly findings: readonly Finding[],
    public readonly suppressed: readonly SuppressedFinding[],
    /** Suppressions of an active rule that matched no finding (stale escape hatches). */
    public readonly unusedSuppressions: readonly Suppression[],
    /** The stacks evaluated, with the JSON they synthesize to. */
    public readonly stacks: readonly RenderedStack[] = [],
    /** How long the pass took, in milliseconds. */
    public readonly timing: PassTiming = { totalMs: 0, renderMs: 0 },
  ) {}

  /** The whole pass, in milliseconds. */
  public get durationMs(): number {
    return this.timing.totalMs;
  }

  public get errors(): Finding[] {
    return this.findings.filter((f) => f.severity === 'error');
  }

  public get warnings(): Finding[] {
    return this.findings.filter((f) => f.severity === 'warning');
  }

  /** One line per finding, suppression and stale suppression, for the console. */
  public lines(): string[] {
    return [
      ...this.errors.map((f) => `ERROR ${f.message}`),
      ...this.warnings.map((f) => `WARN  ${f.message}`),
      ...this.suppressed.map(
        ({ finding, suppression }) =>
          `SUPPRESSED ${finding.ruleId} [${finding.path}] by ${suppression.path || '<app>'}: "${suppression.reason}"`,
      ),
      ...this.unusedSuppressions.map(
        (s) => `UNUSED SUPPRESSION ${s.ruleId} on ${s.path || '<app>'} matched no finding: "${s.reason}"`,
      ),
    ];
  }
}

/** Thrown when guardrail errors remain: the message lists every finding with its construct path and fix. */
export class GuardrailError extends Error {
  constructor(public readonly report: GuardrailReport) {
    const count = report.errors.length;
    super(
      `Guardrails (policy "${report.policy}") refused to synthesize: ${count} error${count === 1 ? '' : 's'}` +
        ` (suppress one with Guardrails.suppress(construct, ruleId, reason); see docs/guardrails.md)\n` +
        report
          .lines()
          .map((l) => `  ${l}`)
          .join('\n'),
    );
    this.name = 'GuardrailError';
  }
}
