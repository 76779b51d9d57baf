/**
 * The checks the Kubernetes constructs run on their props before anything is created. Every message names the
 * construct and the prop, shows the value and says what is allowed; unresolved tokens are skipped (their value is
 * only known at apply).
 */
import { Token } from 'cdktf';
import { DNS_1035_LABEL, DNS_LABEL, IMAGE_REFERENCE, PORT_NAME } from '@cart-platform/service/validators';
import { requireFormat } from '../validate';

/** The NodePort range of a default API server. */
export const NODE_PORT_RANGE = { min: 30_000, max: 32_767 } as const;

/** Throws unless `value` is an RFC 1123 label (a Kubernetes object or namespace name). */
export function checkName(owner: string, prop: string, value: string): void {
  requireFormat(owner, prop, DNS_LABEL, value);
}

/** Throws unless `value` is an RFC 1035 label (a Service name). */
export function checkServiceName(owner: string, prop: string, value: string): void {
  requireFormat(owner, prop, DNS_1035_LABEL, value);
}

/** Throws unless `value` is an IANA service name (a named port). */
export function checkPortName(owner: string, prop: string, value: string): void {
  requireFormat(owner, prop, PORT_NAME, value);
}

/** Throws unless `value` is a container image reference. */
export function checkImage(owner: string, prop: string, value: string): void {
  requireFormat(owner, prop, IMAGE_REFERENCE, value);
}

/** Throws unless `value` is an integer in `min`-`max` (`max` omitted: no upper bound). */
export function checkInteger(owner: string, prop: string, value: number, min: number, max?: number): void {
  if (Token.isUnresolved(value)) return;
  const inRange = Number.isInteger(value) && value >= min && (max === undefined || value <= max);
  if (!inRange) {
    const allowed = max === undefined ? `>= ${min}` : `in ${min}-${max}`;
    throw new Error(`${owner} ${prop}: ${value} must be an integer ${allowed}`);
  }
}

/** Throws unless `value` is a TCP/UDP port number. */
export function checkPort(owner: string, prop: string, value: number): void {
  checkInteger(owner, prop, value, 1, 65_535);
}
