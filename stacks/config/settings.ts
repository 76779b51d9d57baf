/**
 * Account settings: what differs between one team's AWS account and another's, supplied per environment through
 * `CART_*` environment variables (in CI, repository or environment variables; on a laptop, `export` or an
 * untracked env file) and validated by the same schema as the rest of the configuration. This and
 * `environmentFromVariables` are the only places the infrastructure reads the process environment.
 */
import { execFileSync } from 'node:child_process';
import { z } from 'zod';
import type { EnvironmentName, EnvironmentOverrides } from './schema';

/** One setting: its variable, what it means, and whether an environment cannot be deployed without it. */
export interface AccountSetting {
  readonly variable: string;
  readonly description: string;
  /** Environments whose synth fails without it. */
  readonly requiredIn: readonly EnvironmentName[];
}

export const ACCOUNT_SETTINGS = {
  accountId: {
    variable: 'CART_ACCOUNT_ID',
    description: 'the 12-digit AWS account the environment lives in (Terraform refuses any other)',
    requiredIn: ['prod'],
  },
  adminCidrs: {
    variable: 'CART_ADMIN_CIDRS',
    description:
      "comma-separated CIDRs allowed to reach the cluster's public API endpoint (your VPN or office)",
    requiredIn: ['prod'],
  },
  adminPrincipals: {
    variable: 'CART_ADMIN_PRINCIPALS',
    description: 'comma-separated IAM role/user ARNs made cluster admins through EKS access entries',
    requiredIn: ['prod'],
  },
  deployerRole: {
    variable: 'CART_DEPLOYER_ROLE_ARN',
    description: 'the CI role that runs deploys, made cluster admin through an access entry',
    requiredIn: [],
  },
  creatorAdmin: {
    variable: 'CART_CREATOR_ADMIN',
    description:
      'true/false: make whoever creates the cluster its admin (default true in dev, false in prod)',
    requiredIn: [],
  },
  imageTag: {
    variable: 'CART_IMAGE_TAG',
    description:
      'the cart image tag to deploy (default: the git commit of HEAD, as the release workflow tags it)',
    requiredIn: [],
  },
  githubRepository: {
    variable: 'CART_GITHUB_REPOSITORY',
    description:
      'owner/name of the GitHub repository whose workflows deploy this environment (builds the delivery stack)',
    requiredIn: [],
  },
  githubMainBranch: {
    variable: 'CART_GITHUB_MAIN_BRANCH',
    description: 'the branch whose pushes publish images (default main)',
    requiredIn: [],
  },
  githubEnvironment: {
    variable: 'CART_GITHUB_ENVIRONMENT',
    description: "the GitHub environment the deploy job runs in (default: the environment's name)",
    requiredIn: [],
  },
  githubOidcProvider: {
    variable: 'CART_GITHUB_OIDC_PROVIDER_ARN',
    description:
      "the account's existing token.actions.githubusercontent.com OIDC provider (default: create one)",
    requiredIn: [],
  },
  emulatorEndpoint: {
    variable: 'CART_AWS_ENDPOINT',
    description:
      'tests only: every AWS API (and the state backend) pointed at a local emulator with dummy keys',
    requiredIn: [],
  },
  alarmEmail: {
    variable: 'CART_ALARM_EMAIL',
    description: "an e-mail address subscribed to the cart's alarm topic (the recipient confirms it)",
    requiredIn: [],
  },
  retire: {
    variable: 'CART_RETIRE',
    description: 'true: lift every protection so the environment can be destroyed (npm run retire sets it)',
    requiredIn: [],
  },
} as const satisfies Record<string, AccountSetting>;

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);
const bool = z.enum(['true', 'false']).transform((value) => value === 'true');

/** How the git commit of HEAD is found (injectable for tests). */
export type HeadCommit = () => string | undefined;

/** `git rev-parse HEAD`, or undefined outside a git checkout. */
export const gitHeadCommit: HeadCommit = () => {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
};

export interface SettingsResult {
  /** The settings as config overrides (validated with everything else by the schema). */
  readonly overrides: EnvironmentOverrides;
  /** `CART_X is not set: what it is` for each setting the environment requires and the variables lack. */
  readonly missing: readonly string[];
  /** Malformed values (`CART_RETIRE="yes": …`). */
  readonly invalid: readonly string[];
}

/** Reads the account settings of an environment from variables. */
export function settingsFromVariables(
  environment: EnvironmentName,
  variables: Readonly<Record<string, string | undefined>>,
  headCommit: HeadCommit = gitHeadCommit,
): SettingsResult {
  const missing: string[] = [];
  const invalid: string[] = [];
  const read = <T>(setting: AccountSetting, schema: z.ZodType<T, string>): T | undefined => {
    const raw = variables[setting.variable]?.trim();
    if (raw === undefined || raw === '') {
      if (setting.requiredIn.includes(environment))
        missing.push(`${setting.variable} is not set: ${setting.description}`);
      return undefined;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) invalid.push(`${setting.variable}=${JSON.stringify(raw)}: ${setting.description}`);
    return parsed.success ? parsed.data : undefined;
  };
  const s = ACCOUNT_SETTINGS;
  const accountId = read(s.accountId, z.string());
  const adminCidrs = read(s.adminCidrs, list);
  const admins = read(s.adminPrincipals, list);
  const deployer = read(s.deployerRole, z.string());
  const creatorAdmin = read(s.creatorAdmin, bool);
  const imageTag = read(s.imageTag, z.string()) ?? headCommit();
  const awsEndpoint = read(s.emulatorEndpoint, z.string());
  const retire = read(s.retire, bool);
  const delivery = definedOnly({
    repository: read(s.githubRepository, z.string()),
    mainBranch: read(s.githubMainBranch, z.string()),
    githubEnvironment: read(s.githubEnvironment, z.string()),
    oidcProviderArn: read(s.githubOidcProvider, z.string()),
  });
  const alarmEmail = read(s.alarmEmail, z.email());

  const overrides: EnvironmentOverrides = {
    ...(accountId !== undefined && { account: { id: accountId } }),
    access: {
      ...(admins !== undefined && { admins }),
      ...(deployer !== undefined && { deployer }),
      ...(creatorAdmin !== undefined && { creatorAdmin }),
    },
    ...(adminCidrs !== undefined && {
      cluster: { endpointPublicAccess: true, publicAccessCidrs: adminCidrs },
    }),
    ...(imageTag !== undefined && { cart: { imageTag } }),
    ...(awsEndpoint !== undefined && { awsEndpoint }),
    ...(retire !== undefined && { retire }),
    ...(Object.keys(delivery).length > 0 && { delivery }),
    ...(alarmEmail !== undefined && { observability: { alarmEmail } }),
  };
  return { overrides, missing, invalid };
}

/** The entries whose value is set. */
function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
