/**
 * The one definition of what a valid name or identifier is, shared by the service's configuration, the
 * infrastructure's environment schema and the cdktf constructs (package export
 * `@cart-platform/service/validators`). Keep it free of imports and side effects: CommonJS and ESM callers alike
 * load it.
 */

/** A string format with the words used to say what is allowed. */
export interface StringRule {
  /** The format, anchored. */
  readonly pattern: RegExp;
  /** What is allowed, completing "must be …": `an AWS region code such as us-east-1`. */
  readonly expected: string;
}

/** An AWS region code: commercial, GovCloud and ISO partitions (`us-east-1`, `us-gov-west-1`, `us-isob-east-1`). */
export const AWS_REGION: StringRule = {
  pattern: /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/,
  expected: 'an AWS region code such as us-east-1',
};

/** A Kubernetes DNS-1123 label: namespaces, service accounts, most object names. */
export const DNS_LABEL: StringRule = {
  pattern: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
  expected: 'a DNS-1123 label: lowercase a-z, 0-9 and -, at most 63, starting and ending alphanumeric',
};

/** A Kubernetes DNS-1123 subdomain: ConfigMap, Secret and SecretProviderClass names. */
export const DNS_SUBDOMAIN: StringRule = {
  pattern: /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/,
  expected: 'a DNS-1123 subdomain: lowercase a-z, 0-9, - and ., at most 253',
};

/** A Kubernetes DNS-1035 label: Service names, which become DNS names and so start with a letter. */
export const DNS_1035_LABEL: StringRule = {
  pattern: /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/,
  expected: 'a DNS-1035 label (a Service name): lowercase a-z, 0-9 and -, starting with a letter, at most 63',
};

/** An IANA service name: a named container or Service port. */
export const PORT_NAME: StringRule = {
  pattern: /^(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/,
  expected: 'a port name: lowercase a-z, 0-9 and -, with at least one letter, at most 15',
};

/** A container image reference: `registry[:port]/path[:tag][@sha256:digest]`, lowercase path. */
export const IMAGE_REFERENCE: StringRule = {
  pattern: /^[a-z0-9][a-z0-9._/:-]*[a-z0-9](:\w[\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/,
  expected: 'an image reference such as repo/name:1.0.0',
};

/** A lowercase DNS name of at least two labels, e.g. `cart.example.com`. */
export const HOSTNAME: StringRule = {
  pattern: /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
  expected: 'a lowercase DNS name such as cart.example.com',
};

/** A DynamoDB table name (DynamoDB's own rule). */
export const DYNAMODB_TABLE_NAME: StringRule = {
  pattern: /^[A-Za-z0-9_.-]{3,255}$/,
  expected: '3 to 255 characters from A-Z, a-z, 0-9, _, -, .',
};

/** An AWS partition as it appears in ARNs. */
const PARTITION = 'aws(-cn|-us-gov|-iso[a-z-]*)?';

/**
 * An ARN of one AWS service, optionally with a resource prefix: `arn('kms', 'key/', 'a KMS key ARN')` matches
 * `arn:aws:kms:us-east-1:123456789012:key/…`. Region and account may be empty (global services, AWS-managed).
 */
export function arn(service: string, resourcePrefix = '', what = `an ARN of ${service}`): StringRule {
  const prefix = resourcePrefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return {
    pattern: new RegExp(`^arn:${PARTITION}:${service}:([a-z0-9-]*):(\\d{12})?:${prefix}.+$`),
    expected: `${what} such as arn:aws:${service}:us-east-1:123456789012:${resourcePrefix}…`,
  };
}

/** An ACM certificate ARN. */
export const ACM_CERTIFICATE_ARN: StringRule = arn('acm', 'certificate/', 'an ACM certificate ARN');

/** A KMS key ARN (not an alias). */
export const KMS_KEY_ARN: StringRule = arn('kms', 'key/', 'a KMS key ARN');

/** An IAM role or user ARN (a principal that can be given cluster access). */
export const IAM_PRINCIPAL_ARN: StringRule = {
  pattern: new RegExp(`^arn:${PARTITION}:iam::\\d{12}:(role|user)/[\\w+=,.@/-]{1,512}$`),
  expected: 'an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admins',
};

/** An IAM role ARN. */
export const IAM_ROLE_ARN: StringRule = {
  pattern: new RegExp(`^arn:${PARTITION}:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$`),
  expected: 'an IAM role ARN such as arn:aws:iam::123456789012:role/github-deployer',
};

/** A 12-digit AWS account id. */
export const AWS_ACCOUNT_ID: StringRule = {
  pattern: /^\d{12}$/,
  expected: 'a 12-digit AWS account id such as 123456789012',
};

/** True when `value` has the rule's format. */
export function isValid(rule: StringRule, value: string): boolean {
  return rule.pattern.test(value);
}

/** `undefined` when valid, else a message naming the field, the value and what is allowed. */
export function problemWith(field: string, rule: StringRule, value: string): string | undefined {
  return isValid(rule, value) ? undefined : `${field}: "${value}" must be ${rule.expected}`;
}
