import type { Violation } from '../types';

/** Violations, each element and message once. */
export function unique(violations: Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.element.path}|${v.element.address}|${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
