/** Where AWS resources are: the region each is created in (its provider's), and the account when the app says. */
import type { ElementView, SynthesizedApp } from './synthesized-app';
import { strings } from './values';

/** The AWS provider a resource uses: the aliased one its `provider` names, else its stack's default one. */
export function awsProviderOf(app: SynthesizedApp, resource: ElementView): ElementView | undefined {
  const alias =
    typeof resource.config.provider === 'string' ? resource.config.provider.split('.')[1] : undefined;
  const address = alias === undefined ? 'provider.aws' : `provider.aws.${alias}`;
  return app.at(resource.stackName, address);
}

/** The region a resource is created in: its own `region` argument, else its AWS provider's. */
export function regionOf(app: SynthesizedApp, resource: ElementView): string | undefined {
  const own = app.literal(resource.config.region, resource);
  if (own !== undefined) return own;
  const provider = awsProviderOf(app, resource);
  return provider === undefined ? undefined : app.literal(provider.config.region, provider);
}

/** The region in an ARN (`arn:aws:acm:eu-west-1:…`). */
export function arnRegion(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region !== undefined && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) ? region : undefined;
}

const memo = new WeakMap<SynthesizedApp, string | undefined>();

/**
 * The AWS account the app deploys to, when it says so: the providers' `allowed_account_ids`, else the one account
 * every literal IAM, ECR or EKS ARN of the app names. `undefined` when unknown or ambiguous.
 */
export function knownAccount(app: SynthesizedApp): string | undefined {
  if (memo.has(app)) return memo.get(app);
  const allowed = new Set(app.providers('aws').flatMap((p) => strings(p.config.allowed_account_ids)));
  const seen = new Set<string>();
  if (allowed.size === 0) {
    const text = JSON.stringify(app.elements.filter((e) => e.kind === 'resource').map((e) => e.config));
    for (const m of text.matchAll(/arn:aws[a-z-]*:(?:iam|eks|ecr):[a-z0-9-]*:(\d{12}):/g)) seen.add(m[1]);
    for (const m of text.matchAll(/\b(\d{12})\.dkr\.ecr\./g)) seen.add(m[1]);
  }
  const accounts = allowed.size > 0 ? allowed : seen;
  const account = accounts.size === 1 ? [...accounts][0] : undefined;
  memo.set(app, account);
  return account;
}
