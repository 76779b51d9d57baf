/**
 * The guardrails runner: evaluates every rule on the final Terraform JSON of a whole app — what `app.synth()` is
 * about to write, after aspects and every escape hatch — and refuses to synthesize when an error remains.
 *
 * Why one pass over the app rather than a cdktf Aspect: cdktf invokes aspects stack by stack while it writes each
 * stack, so an aspect sees one stack, before the other stacks' aspects and overrides, and the stacks before it are
 * on disk when it fails. The cart's worst mistakes are cross-stack (the ConfigMap in `cart-workload` names a table
 * the `cart` stack must create; the association in `cart` must name the ServiceAccount of `cart-workload`).
 * `checkGuardrails(app, policy)` is the programmatic entry point (tests and tools); `enforceGuardrails(app, policy)`
 * (what `buildPlatform` calls) runs the same pass when `app.synth()` starts, before the first stack is written, so
 * it also sees what is added to the app after `buildPlatform` returns.
 */
import { performance } from 'node:perf_hooks';
import type { App } from 'cdktf';
import type { IConstruct } from 'constructs';
import { GuardrailError, GuardrailReport, type SuppressedFinding } from './report';
import { RULES, RULES_BY_ID } from './rules';
import { suppress, suppressionFor, suppressionsOn } from './suppress';
import { installSynthGate } from './synth-gate';
import { SynthesizedApp } from './synthesized-app';
import type { Finding, GuardrailPolicy, GuardrailRule, Violation } from './types';

function toFinding(rule: GuardrailRule, violation: Violation, severity: Finding['severity']): Finding {
  const checkov = violation.checkov ?? rule.checkov;
  const element = violation.element;
  // An element only a stack-level override defines has no construct of its own: name its address too.
  const problem = element.addedByOverride
    ? `${element.address} (added by a stack-level override): ${violation.message}`
    : violation.message;
  const effect = violation.effect ?? rule.prevents;
  return {
    ruleId: rule.id,
    severity,
    path: element.path,
    element,
    problem,
    effect,
    fix: violation.fix,
    checkov,
    message:
      `${rule.id} [${element.path}] ${problem} What happens: ${effect} Fix: ${violation.fix}` +
      (checkov.length > 0 ? ` (Checkov ${checkov.join(', ')})` : ''),
  };
}

export interface CheckOptions {
  /** The rules to evaluate. @default RULES */
  readonly rules?: readonly GuardrailRule[];
  /** `app.synth()` has just prepared every stack (the synth gate). @default false */
  readonly prepared?: boolean;
}

/** Evaluates the rules on everything under `scope` and returns the report; never throws on findings. */
export function checkGuardrails(
  scope: IConstruct,
  policy: GuardrailPolicy,
  options: CheckOptions = {},
): GuardrailReport {
  const rules = options.rules ?? RULES;
  const started = performance.now();
  const app = SynthesizedApp.of(scope, options.prepared ?? false);
  const renderMs = performance.now() - started;
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const used = new Set<string>();
  for (const rule of rules) {
    const severity = policy.severities[rule.category];
    if (severity === 'off') continue;
    for (const violation of rule.check(app)) {
      const finding = toFinding(rule, violation, severity);
      const suppression = suppressionFor(violation.element.construct, rule.id);
      if (suppression === undefined) {
        findings.push(finding);
      } else {
        suppressed.push({ finding, suppression });
        used.add(`${suppression.path}|${suppression.ruleId}`);
      }
    }
  }
  const active = new Set(rules.filter((r) => policy.severities[r.category] !== 'off').map((r) => r.id));
  const unused = scope.node
    .findAll()
    .flatMap(suppressionsOn)
    .filter((s) => active.has(s.ruleId) && !used.has(`${s.path}|${s.ruleId}`));
  return new GuardrailReport(policy.name, findings, suppressed, unused, app.stacks, {
    totalMs: performance.now() - started,
    renderMs,
  });
}

const reports = new WeakMap<IConstruct, GuardrailReport>();

/** Checks the whole app now and throws a GuardrailError when an error remains. */
export function applyGuardrails(app: IConstruct, policy: GuardrailPolicy): GuardrailReport {
  const report = checkGuardrails(app, policy);
  reports.set(app, report);
  if (report.errors.length > 0) throw new GuardrailError(report);
  return report;
}

/**
 * Makes `app.synth()` run the guardrails first: before the first stack is written, the whole app is evaluated; a
 * remaining error throws a GuardrailError out of `app.synth()` with nothing written but `guardrails.sarif`.
 * Every synth writes the findings as SARIF to `<outdir>/guardrails.sarif`.
 */
export function enforceGuardrails(app: App, policy: GuardrailPolicy): void {
  installSynthGate(app, () => {
    const report = checkGuardrails(app, policy, { prepared: true });
    reports.set(app, report);
    return report;
  });
}

/** The entry points, as one namespace: `Guardrails.suppress(construct, 'CART003', 'why')`. */
export const Guardrails = {
  /**
   * Silences one rule for a construct and everything under it. The reason is required and printed at every synth.
   * Throws for an unknown rule id or an empty reason.
   */
  suppress(construct: IConstruct, ruleId: string, reason: string): void {
    if (!RULES_BY_ID.has(ruleId)) {
      throw new Error(
        `Guardrails.suppress ruleId: "${ruleId}" is not a rule; known rules: ${[...RULES_BY_ID.keys()].join(', ')}`,
      );
    }
    suppress(construct, ruleId, reason);
  },
  check: checkGuardrails,
  apply: applyGuardrails,
  enforce: enforceGuardrails,
  /** The report of the last guardrails pass on this app (main.ts prints its warnings and suppressions). */
  reportOf(app: IConstruct): GuardrailReport | undefined {
    return reports.get(app);
  },
  rules: RULES,
} as const;
