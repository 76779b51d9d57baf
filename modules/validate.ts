/**
 * Eager prop validation for constructs, on the rules the whole project shares
 * (`@cart-platform/service/validators`): a value that is still an unresolved token is left to Terraform.
 */
import { Token } from 'cdktf';
import { z } from 'zod';
import type { StringRule } from '@cart-platform/service/validators';

/**
 * Throws `<owner> <prop>: "<value>" must be <what the rule allows>` when a resolved value breaks the rule.
 * `owner` names the construct class (and instance where useful), `prop` the prop path.
 */
export function requireFormat(
  owner: string,
  prop: string,
  rule: StringRule,
  value: string | undefined,
): void {
  if (value === undefined || Token.isUnresolved(value) || rule.pattern.test(value)) return;
  throw new Error(`${owner} ${prop}: "${value}" must be ${rule.expected}`);
}

/** A zod string schema for a shared rule, for configuration schemas: its message says what is allowed. */
export function formatted(rule: StringRule): z.ZodString {
  return z.string().regex(rule.pattern, `must be ${rule.expected}`);
}
