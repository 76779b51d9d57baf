/**
 * The guardrails runner: evaluates every rule on the synthesized configuration of a whole app and refuses to
 * synthesize when an error remains.
 *
 * Why a pass over the app rather than only a cdktf Aspect: cdktf invokes aspects stack by stack while it writes
 * each stack's output, so an aspect sees one stack at a time and the stacks before it are already on disk when it
 * fails. The cart's worst mistakes are cross-stack (the ConfigMap in `cart-workload` names a table the `cart` stack
 * must create; the association in `cart` must name the ServiceAccount of `cart-workload`). So `buildPlatform` calls
 * `applyGuardrails(app, policy)` once every stack is built: it walks `app.node.findAll()`, evaluates all rules, and
 * throws a `GuardrailError` before `app.synth()` writes anything; `main.ts` prints it and exits 1.
 * `GuardrailsAspect` offers the same rules, per stack, to apps that do not go through `buildPlatform`.
 */
import { Annotations, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { RULES, RULES_BY_ID } from './rules';
import { suppress, suppressionFor, suppressionsOn, type Suppression } from './suppress';
import { SynthesizedApp } from './synthesized-app';
import type { Finding, GuardrailPolicy, GuardrailRule, Violation } from './types';

/** A finding silenced by a suppression (reported all the same). */
export interface SuppressedFinding {
  readonly finding: Finding;
  readonly suppression: Suppression;
}

/** The outcome of one guardrails pass. */
export class GuardrailReport {
  constructor(
    /** The name of the policy the rules' severities were taken from. */
    public readonly policy: string,
    /** Findings that count: errors and warnings. */
    public readonly findings: readonly Finding[],
    public readonly suppressed: readonly SuppressedFinding[],
    /** Suppressions of an active rule that matched no finding (stale escape hatches). */
    public readonly unusedSuppressions: readonly Suppression[],
  ) {}

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

function toFinding(rule: GuardrailRule, violation: Violation, severity: Finding['severity']): Finding {
  const checkov = violation.checkov ?? rule.checkov;
  const path = violation.element.path;
  return {
    ruleId: rule.id,
    severity,
    path,
    element: violation.element,
    message:
      `${rule.id} [${path}] ${violation.message} Fix: ${violation.fix}` +
      (checkov.length > 0 ? ` (Checkov ${checkov.join(', ')})` : ''),
  };
}

/** Evaluates the rules on everything under `scope` and returns the report; never throws on findings. */
export function checkGuardrails(
  scope: IConstruct,
  policy: GuardrailPolicy,
  rules: readonly GuardrailRule[] = RULES,
): GuardrailReport {
  const app = SynthesizedApp.of(scope);
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
  return new GuardrailReport(policy.name, findings, suppressed, unused);
}

const reports = new WeakMap<IConstruct, GuardrailReport>();

/**
 * The synth-time gate: checks the whole app and throws a GuardrailError when an error remains. Call it once every
 * stack is built, before `app.synth()` (buildPlatform does).
 */
export function applyGuardrails(app: IConstruct, policy: GuardrailPolicy): GuardrailReport {
  const report = checkGuardrails(app, policy);
  reports.set(app, report);
  if (report.errors.length > 0) throw new GuardrailError(report);
  return report;
}

/**
 * The same rules as a cdktf Aspect, for apps built without buildPlatform: `Aspects.of(stack).add(new
 * GuardrailsAspect(GUARDRAIL_POLICIES.production))`. It evaluates each stack on its own (cross-stack rules see one stack) and turns
 * findings into annotations, so `cdktf synth` fails on errors and prints warnings with the construct path.
 */
export class GuardrailsAspect implements IAspect {
  constructor(private readonly policy: GuardrailPolicy) {}

  public visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const report = checkGuardrails(node, this.policy);
    for (const finding of report.findings) {
      const annotations = Annotations.of(finding.element.construct);
      if (finding.severity === 'error') annotations.addError(finding.message);
      else annotations.addWarning(finding.message);
    }
    for (const { finding, suppression } of report.suppressed) {
      Annotations.of(finding.element.construct).addInfo(
        `${finding.ruleId} suppressed by ${suppression.path}: "${suppression.reason}"`,
      );
    }
  }
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
  /** The report of the last applyGuardrails on this app (main.ts prints its warnings and suppressions). */
  reportOf(app: IConstruct): GuardrailReport | undefined {
    return reports.get(app);
  },
  rules: RULES,
} as const;
