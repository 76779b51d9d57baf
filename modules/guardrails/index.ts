/** Synth-time guardrails: the guide's beginner mistakes and a security baseline, refused before Terraform runs. */
export {
  Guardrails,
  applyGuardrails,
  checkGuardrails,
  enforceGuardrails,
  type CheckOptions,
} from './guardrails';
export { GuardrailError, GuardrailReport, type PassTiming, type SuppressedFinding } from './report';
export { RULES, RULES_BY_ID } from './rules';
export { SARIF_FILE, toSarif, writeSarif } from './sarif';
export { SUPPRESSION_METADATA, type Suppression } from './suppress';
export { SynthesizedApp, type ElementView } from './synthesized-app';
export { GUARDRAIL_POLICIES, RULE_CATEGORIES } from './types';
export type { Finding, GuardrailPolicy, GuardrailRule, RuleCategory, Severity, Violation } from './types';
