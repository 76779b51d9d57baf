/**
 * The checks the Kubernetes constructs run on their props before anything is created. Every message names the
 * construct and the prop, shows the value and says what is allowed; unresolved tokens are skipped (their value is
 * only known at apply).
 */
import { Token } from 'cdktf';

/** RFC 1123 label: namespaces and the names of most objects. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** RFC 1035 label: Service names, which become DNS names and so start with a letter. */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** IANA service name: a named container or Service port (at most 15, at least one letter). */
export const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;
/** `registry[:port]/path[:tag][@sha256:digest]`, lowercase path. */
export const IMAGE_REFERENCE = /^[a-z0-9][a-z0-9._/:-]*[a-z0-9](:\w[\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
/** A lowercase DNS name with at least two labels, e.g. `cart.example.com`. */
export const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** The NodePort range of a default API server. */
export const NODE_PORT_RANGE = { min: 30_000, max: 32_767 } as const;

/** Throws unless `value` is an RFC 1123 label (a Kubernetes object or namespace name). */
export function checkName(owner: string, prop: string, value: string): void {
  if (!Token.isUnresolved(value) && !DNS_LABEL.test(value)) {
    throw new Error(
      `${owner} ${prop}: "${value}" is not a Kubernetes name (lowercase a-z, 0-9, -; at most 63)`,
    );
  }
}

/** Throws unless `value` is an RFC 1035 label (a Service name). */
export function checkServiceName(owner: string, prop: string, value: string): void {
  if (!Token.isUnresolved(value) && !DNS_1035_LABEL.test(value)) {
    throw new Error(
      `${owner} ${prop}: "${value}" is not a Service name (lowercase a-z, 0-9, -; starts with a letter; at most 63)`,
    );
  }
}

/** Throws unless `value` is an IANA service name (a named port). */
export function checkPortName(owner: string, prop: string, value: string): void {
  if (!PORT_NAME.test(value)) {
    throw new Error(
      `${owner} ${prop}: "${value}" is not a port name (lowercase a-z, 0-9, -; a letter somewhere; at most 15)`,
    );
  }
}

/** Throws unless `value` is a container image reference. */
export function checkImage(owner: string, prop: string, value: string): void {
  if (!Token.isUnresolved(value) && !IMAGE_REFERENCE.test(value)) {
    throw new Error(`${owner} ${prop}: "${value}" is not an image reference such as repo/name:1.0.0`);
  }
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
