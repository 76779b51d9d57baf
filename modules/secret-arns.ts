/**
 * How the cart's `cart.secrets` entries (Secrets Manager ARNs or names) become IAM resources and mounted files.
 */
import { Token } from 'cdktf';

const SECRET_ARN = /^arn:[\w-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:(.+)$/;
/** Secrets Manager appends `-` and six random characters to the name in a secret's full ARN. */
const ARN_SUFFIX = /-[A-Za-z0-9]{6}$/;

/** Where a secret given by name lives. */
export interface SecretLocation {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * The IAM resource for a secret: a full ARN as given, or for a name (or partial ARN) the ARN pattern `…:secret:<name>-??????`, which
 * matches that secret's random suffix and nothing else (`?` is one character; `*` would match other secrets).
 */
export function secretResourceArn(nameOrArn: string, where: SecretLocation): string {
  if (!Token.isUnresolved(nameOrArn) && SECRET_ARN.test(nameOrArn)) {
    // A partial ARN (no random suffix) names the secret but would not match its real ARN.
    return ARN_SUFFIX.test(nameOrArn) ? nameOrArn : `${nameOrArn}-??????`;
  }
  return `arn:${where.partition}:secretsmanager:${where.region}:${where.accountId}:secret:${nameOrArn}-??????`;
}

/**
 * The file a secret is mounted as: its name (from an ARN, without the random suffix), with `/` turned into `_`
 * as the AWS provider would, so `retail/cart/api` and its ARN both mount as `retail_cart_api`.
 */
export function secretFileName(nameOrArn: string): string {
  const fromArn = SECRET_ARN.exec(nameOrArn);
  const name = fromArn === null ? nameOrArn : fromArn[1].replace(ARN_SUFFIX, '');
  return name.replace(/\//g, '_');
}
