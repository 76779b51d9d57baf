/**
 * IAM policy documents as typed data, rendered to JSON at synth.
 *
 * Rendered with JSON.stringify rather than an `aws_iam_policy_document` data source: the JSON lands verbatim in
 * the synthesized Terraform (tests and guardrails read exact actions and resources from it), and there is no
 * data source to evaluate at plan time.
 */
export interface PolicyStatement {
  /** Statement id (letters and digits). */
  readonly sid?: string;
  /** @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  /** Resource ARNs; may contain Terraform tokens. */
  readonly resources: readonly string[];
  /** IAM conditions, e.g. `{ Bool: { 'aws:SecureTransport': 'false' } }`. */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  /** For resource and trust policies: the principal, e.g. `{ Service: 'pods.eks.amazonaws.com' }`. */
  readonly principals?: Readonly<Record<string, string | readonly string[]>>;
}

/** Trust and resource policies carry no Resource. */
export type TrustStatement = Omit<PolicyStatement, 'resources'> & { readonly resources?: readonly string[] };

export interface PolicyJson {
  readonly Version: '2012-10-17';
  readonly Statement: ReadonlyArray<Record<string, unknown>>;
}

/** Renders statements as an IAM policy JSON string. */
export function policyDocument(statements: readonly (PolicyStatement | TrustStatement)[]): string {
  const document: PolicyJson = {
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      ...(s.sid !== undefined && { Sid: s.sid }),
      Effect: s.effect ?? 'Allow',
      ...(s.principals !== undefined && { Principal: s.principals }),
      Action: s.actions.length === 1 ? s.actions[0] : [...s.actions],
      ...(s.resources !== undefined && {
        Resource: s.resources.length === 1 ? s.resources[0] : [...s.resources],
      }),
      ...(s.conditions !== undefined && { Condition: s.conditions }),
    })),
  };
  return JSON.stringify(document);
}
