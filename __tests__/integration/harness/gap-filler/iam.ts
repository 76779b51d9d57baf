/**
 * IAM and STS questions the EKS handlers ask moto, as AWS would check them: does this role (or user) exist, and
 * who is calling (the cluster creator whose access EKS bootstraps).
 */
import type { FillerContext } from './correction';
import type { FillerRequest } from './http';
import { succeeded } from './upstream';

const PRINCIPAL =
  /^arn:(?<partition>aws[a-z-]*):iam::(?<account>\d{12}):(?<kind>role|user)\/(?:.*\/)?(?<name>[^/]+)$/;

/** An IAM role or user ARN's parts (`undefined` for anything else, an STS session ARN included). */
export function parsePrincipal(
  arn: string,
): { kind: 'role' | 'user'; name: string; account: string } | undefined {
  const groups = PRINCIPAL.exec(arn)?.groups;
  if (groups === undefined) return undefined;
  return { kind: groups.kind as 'role' | 'user', name: groups.name, account: groups.account };
}

/** Whether moto's IAM has the role or user (GetRole / GetUser). */
export async function principalExists(
  context: FillerContext,
  request: FillerRequest,
  arn: string,
): Promise<boolean> {
  const principal = parsePrincipal(arn);
  if (principal === undefined) return false;
  const [action, parameter] = principal.kind === 'role' ? ['GetRole', 'RoleName'] : ['GetUser', 'UserName'];
  const reply = await context.upstream.call(request, 'iam', {
    method: 'POST',
    path: '/',
    contentType: 'application/x-www-form-urlencoded',
    body: new URLSearchParams({
      Action: action,
      [parameter]: principal.name,
      Version: '2010-05-08',
    }).toString(),
  });
  return succeeded(reply);
}

/**
 * The IAM principal behind the caller (STS GetCallerIdentity): a user's ARN as is, an assumed role's session
 * ARN turned into the role's ARN (what EKS records as the cluster creator).
 */
export async function callerPrincipal(
  context: FillerContext,
  request: FillerRequest,
): Promise<string | undefined> {
  const reply = await context.upstream.call(request, 'sts', {
    method: 'POST',
    path: '/',
    contentType: 'application/x-www-form-urlencoded',
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(reply.body.toString('utf8'))?.[1];
  if (!succeeded(reply) || arn === undefined) return undefined;
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.*$/.exec(arn);
  if (session) return `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`;
  return arn.replace(/^arn:([^:]+):sts::/, 'arn:$1:iam::');
}
