/**
 * Grants for workloads that mount secrets through a SecretProviderClass: the AWS provider reads them with the
 * pod's own identity, so the pod's role needs read access to exactly the secrets it mounts — nothing else.
 */
import { Token } from 'cdktf';
import type { WorkloadIdentity } from './workload-identity';

/** What the AWS provider calls for a Secrets Manager object. */
export const SECRETS_READ_ACTIONS = [
  'secretsmanager:GetSecretValue',
  'secretsmanager:DescribeSecret',
] as const;
/** What the AWS provider calls for SSM parameters (batched). */
export const PARAMETERS_READ_ACTIONS = ['ssm:GetParameters'] as const;

/**
 * Lets the identity read the given Secrets Manager secrets (GetSecretValue, DescribeSecret on exactly these ARNs).
 *
 * Secret ARNs end in a random 6-character suffix (`…:secret:retail/cart/api-AbCdEf`): pass the full ARN (e.g. the
 * `arn` of an `aws_secretsmanager_secret`), or `…:secret:<name>-??????` to match a secret by name.
 */
export function grantSecretsRead(identity: WorkloadIdentity, secretArns: readonly string[]): void {
  requireArns(
    'grantSecretsRead secretArns',
    secretArns,
    /^arn:[\w-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/,
  );
  identity.addToPolicy({
    sid: uniqueSid(identity, 'ReadMountedSecrets'),
    actions: SECRETS_READ_ACTIONS,
    resources: [...secretArns],
  });
}

/** Lets the identity read the given SSM parameters (ssm:GetParameters on exactly these ARNs). */
export function grantParametersRead(identity: WorkloadIdentity, parameterArns: readonly string[]): void {
  requireArns(
    'grantParametersRead parameterArns',
    parameterArns,
    /^arn:[\w-]+:ssm:[a-z0-9-]+:\d{12}:parameter\/.+$/,
  );
  identity.addToPolicy({
    sid: uniqueSid(identity, 'ReadMountedParameters'),
    actions: PARAMETERS_READ_ACTIONS,
    resources: [...parameterArns],
  });
}

function requireArns(what: string, arns: readonly string[], pattern: RegExp): void {
  if (arns.length === 0)
    throw new Error(`${what}: [] — name the ARNs to grant; a grant on nothing is a mistake`);
  for (const arn of arns) {
    if (Token.isUnresolved(arn)) continue;
    if (arn.includes('*') || !pattern.test(arn)) {
      throw new Error(`${what}: "${arn}" must be one exact ARN (no *) matching ${pattern.source}`);
    }
  }
}

/** IAM wants statement ids unique within a policy; a second grant gets `<base>2`, and so on. */
function uniqueSid(identity: WorkloadIdentity, base: string): string {
  const taken = new Set(identity.policyStatements.map((s) => s.sid));
  let sid = base;
  for (let n = 2; taken.has(sid); n += 1) sid = `${base}${n}`;
  return sid;
}
