import type { ElementView, SynthesizedApp } from './synthesized-app';

/** What a rule does under a policy: fail synth, print a warning, or nothing. */
export type Severity = 'error' | 'warning' | 'off';

/**
 * What a rule protects, which decides how severe it is under a policy:
 * - `eks-wiring`: the guide's mistakes that break the cart on EKS (wrong table, unbound role, static keys…);
 * - `always`: never acceptable anywhere (node role reachable from pods, privileged containers…);
 * - `baseline`: the security baseline (encryption, logging, scanning…);
 * - `production`: what only production must have (deletion protection, customer-managed keys…);
 * - `real-aws`: refuses what only a local emulator may do (endpoint overrides in the providers).
 */
export const RULE_CATEGORIES = ['eks-wiring', 'always', 'baseline', 'production', 'real-aws'] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

/** How strict a guardrails pass is: a name for the report and the severity of each rule category. */
export interface GuardrailPolicy {
  /** Printed in reports and errors (`policy "production"`). */
  readonly name: string;
  readonly severities: Readonly<Record<RuleCategory, Severity>>;
}

/** The stock policies; an app picks one per synth (the platform maps each environment to one). */
export const GUARDRAIL_POLICIES = {
  /** Everything is an error. */
  production: {
    name: 'production',
    severities: {
      'eks-wiring': 'error',
      always: 'error',
      baseline: 'error',
      production: 'error',
      'real-aws': 'error',
    },
  },
  /** A throwaway EKS environment: the baseline warns, production-only requirements are off. */
  development: {
    name: 'development',
    severities: {
      'eks-wiring': 'error',
      always: 'error',
      baseline: 'warning',
      production: 'off',
      'real-aws': 'error',
    },
  },
  /** Development against a local AWS emulator: endpoint overrides are the point. */
  emulator: {
    name: 'emulator',
    severities: {
      'eks-wiring': 'error',
      always: 'error',
      baseline: 'warning',
      production: 'off',
      'real-aws': 'off',
    },
  },
  /** No AWS at all (K3s + DynamoDB Local): endpoint, dummy keys and create-table are meant to be there. */
  local: {
    name: 'local',
    severities: {
      'eks-wiring': 'off',
      always: 'error',
      baseline: 'warning',
      production: 'off',
      'real-aws': 'off',
    },
  },
} as const satisfies Readonly<Record<string, GuardrailPolicy>>;

/** One problem a rule found in one element. */
export interface Violation {
  /** The element at fault; the finding names its construct path. */
  readonly element: ElementView;
  /** What is wrong, with the offending value. */
  readonly message: string;
  /** What happens at run time because of it. @default - the rule's `prevents` */
  readonly effect?: string;
  /** How to fix it. */
  readonly fix: string;
  /** Checkov ids for this particular problem. @default - the rule's */
  readonly checkov?: readonly string[];
}

export interface GuardrailRule {
  /** `CART001`… */
  readonly id: string;
  /** One line: what the rule checks. */
  readonly title: string;
  /** The run-time failure or exposure it prevents (the docs' table). */
  readonly prevents: string;
  /** How to fix a violation, in general (each violation says it for its case); SARIF's `help`. */
  readonly fix: string;
  /** What it protects; the policy turns that into a severity. */
  readonly category: RuleCategory;
  /** Matching Checkov check ids, where Checkov has one. */
  readonly checkov: readonly string[];
  /** Finds violations in the whole app. */
  check(app: SynthesizedApp): Violation[];
}

/** A violation with its rule, severity and the message printed at synth. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Exclude<Severity, 'off'>;
  /** Construct path of the element at fault. */
  readonly path: string;
  /** `CART003 [cart-workload/cart/config] … What happens: … Fix: … (Checkov …)` */
  readonly message: string;
  readonly element: ElementView;
  /** The message's parts: what is wrong, what happens, how to fix it. */
  readonly problem: string;
  readonly effect: string;
  readonly fix: string;
  readonly checkov: readonly string[];
}
