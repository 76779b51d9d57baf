/** Synth-time guardrails: the guide's beginner mistakes and a security baseline, refused before Terraform runs. */
export {
  Guardrails,
  GuardrailError,
  GuardrailReport,
  GuardrailsAspect,
  applyGuardrails,
  checkGuardrails,
  type SuppressedFinding,
} from './guardrails';
export { RULES, RULES_BY_ID } from './rules';
export { SUPPRESSION_METADATA, type Suppression } from './suppress';
export { GUARDRAIL_POLICIES, RULE_CATEGORIES } from './types';
export type { Finding, GuardrailPolicy, GuardrailRule, RuleCategory, Severity, Violation } from './types';
