import type { EnvironmentConfig, EnvironmentName } from '../../stacks/config';
import type { ElementView, SynthesizedApp } from './synthesized-app';

/** What a rule does in an environment: fail synth, print a warning, or nothing. */
export type Severity = 'error' | 'warning' | 'off';
export type SeverityByEnvironment = Readonly<Record<EnvironmentName, Severity>>;

/**
 * The guide's mistakes that break the cart on EKS: errors wherever there is EKS. `local` has no AWS and is
 * meant to carry endpoint, dummy keys and create-table.
 */
export const EKS_ONLY: SeverityByEnvironment = {
  dev: 'error',
  emulator: 'error',
  prod: 'error',
  local: 'off',
};
/** Errors everywhere: never acceptable. */
export const ALWAYS: SeverityByEnvironment = {
  dev: 'error',
  emulator: 'error',
  prod: 'error',
  local: 'error',
};
/** Security baseline: a warning in dev-like environments, an error in prod. */
export const BASELINE: SeverityByEnvironment = {
  dev: 'warning',
  emulator: 'warning',
  prod: 'error',
  local: 'warning',
};
/** Production-only requirements (a throwaway dev table may be deleted and use the free AWS-owned key). */
export const PROD_ONLY: SeverityByEnvironment = { dev: 'off', emulator: 'off', prod: 'error', local: 'off' };
/** The emulator override: the `emulator` environment exists for it; dev and prod must talk to AWS. */
export const REAL_AWS_ONLY: SeverityByEnvironment = {
  dev: 'error',
  emulator: 'off',
  prod: 'error',
  local: 'off',
};

/** One problem a rule found in one element. */
export interface Violation {
  /** The element at fault; the finding names its construct path. */
  readonly element: ElementView;
  /** What is wrong, with the offending value. */
  readonly message: string;
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
  readonly severity: SeverityByEnvironment;
  /** Matching Checkov check ids, where Checkov has one. */
  readonly checkov: readonly string[];
  /** Finds violations in the whole app. */
  check(app: SynthesizedApp, config: EnvironmentConfig): Violation[];
}

/** A violation with its rule, severity and the message printed at synth. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Exclude<Severity, 'off'>;
  /** Construct path of the element at fault. */
  readonly path: string;
  /** `CART003 [cart-workload/cart/config] … Fix: … (Checkov …)` */
  readonly message: string;
  readonly element: ElementView;
}
