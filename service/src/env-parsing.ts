/**
 * How the service reads the values of its environment variables, shared with the infrastructure's guardrails so
 * that synth judges a value exactly as the running service will. Keep it free of imports and side effects (the
 * cdktf app imports it from CommonJS TypeScript).
 */

/** Spellings the service reads as true: Spring's boolean conversion accepts these, and upstream's Helm values may use any of them. */
export const TRUE_VALUES = ['true', 'on', 'yes', '1'] as const;
/** Spellings the service reads as false. */
export const FALSE_VALUES = ['false', 'off', 'no', '0'] as const;

/** Unset as the service sees it: absent or blank (Helm charts and ConfigMaps render unset values as ""). */
export function isUnset(raw: string | undefined): boolean {
  return raw === undefined || raw.trim() === '';
}

/**
 * A boolean variable's value as the service reads it: trimmed, case-insensitive, one of TRUE_VALUES or
 * FALSE_VALUES; `undefined` for any other spelling (the service refuses to start with a ConfigError).
 */
export function parseBoolean(raw: string): boolean | undefined {
  const value = raw.trim().toLowerCase();
  if ((TRUE_VALUES as readonly string[]).includes(value)) return true;
  if ((FALSE_VALUES as readonly string[]).includes(value)) return false;
  return undefined;
}
