/**
 * `npm run validate` (`npx tsx scripts/terraform-validate.ts [env…]`): synthesizes the dev and prod environments
 * (or the ones named) and runs `terraform init -backend=false && terraform validate` on every stack whose
 * providers Terraform can install here — from an offline filesystem mirror when the machine has one (found in
 * the usual places or named by TF_PROVIDER_MIRROR), else from the registry. Prints one line per stack and exits
 * non-zero when a stack fails.
 *
 * It shares its helpers with the integration tests (__tests__/integration/harness), which also call it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScheduled } from '../__tests__/integration/harness/schedule';
import { ACCOUNT_SETTINGS } from '../stacks/config/settings';
import { deploymentOrder, synthesize, type SynthesizedStack } from '../__tests__/integration/harness/synth';
import {
  describeFailure,
  findProviderMirror,
  terraform,
  writeTerraformCliConfig,
  type TerraformSetup,
} from '../__tests__/integration/harness/terraform-cli';

export interface StackValidation {
  readonly environment: string;
  readonly stack: string;
  readonly status: 'validated' | 'skipped' | 'failed';
  /** Why skipped (`needs kubernetes, helm`) or what failed. */
  readonly detail?: string;
  readonly seconds: number;
}

async function validateStack(
  environment: string,
  stack: SynthesizedStack,
  setup: TerraformSetup,
): Promise<StackValidation> {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  const missing = stack.providers.filter((p) => !setup.canInstall(p)).map((p) => p.name);
  if (missing.length > 0) {
    return {
      environment,
      stack: stack.id,
      status: 'skipped',
      detail: `needs ${missing.join(', ')}`,
      seconds: 0,
    };
  }
  const options = { cwd: stack.dir, cliConfigFile: setup.cliConfigFile };
  const init = await terraform(['init', '-backend=false', '-input=false', '-no-color'], options);
  if (init.code !== 0) {
    return {
      environment,
      stack: stack.id,
      status: 'failed',
      detail: describeFailure(init),
      seconds: seconds(),
    };
  }
  const validate = await terraform(['validate', '-no-color'], options);
  if (validate.code !== 0) {
    return {
      environment,
      stack: stack.id,
      status: 'failed',
      detail: describeFailure(validate),
      seconds: seconds(),
    };
  }
  return { environment, stack: stack.id, status: 'validated', seconds: seconds() };
}

/**
 * Synthesizes each environment into a temporary folder and validates its stacks, two at a time (a 2-core
 * machine; each `terraform validate` is mostly the aws provider starting). Reports through `onResult` as it goes.
 */
/** Stand-in account settings for validation only (never deployed: the placeholder account refuses any plan). */
const VALIDATION_SETTINGS = {
  CART_ACCOUNT_ID: '000000000000',
  CART_ADMIN_CIDRS: '198.18.0.0/24',
  CART_ADMIN_PRINCIPALS: 'arn:aws:iam::000000000000:role/platform-admins',
};

/** The CART_* account settings present in `variables`. */
function accountSettingsFrom(variables: NodeJS.ProcessEnv): Record<string, string> {
  const names = Object.values(ACCOUNT_SETTINGS).map((s) => s.variable as string);
  return Object.fromEntries(
    Object.entries(variables).filter(
      (e): e is [string, string] => names.includes(e[0]) && e[1] !== undefined && e[1] !== '',
    ),
  );
}

export async function validateEnvironments(
  environments: readonly string[],
  onResult: (result: StackValidation) => void = () => undefined,
): Promise<StackValidation[]> {
  const workDir = mkdtempSync(join(tmpdir(), 'cart-validate-'));
  const results: StackValidation[] = [];
  try {
    let setup: TerraformSetup | undefined;
    for (const environment of environments) {
      const stacks = deploymentOrder(
        await synthesize({
          outdir: join(workDir, environment),
          cwd: workDir,
          // `terraform validate` checks the code, not an account: stand-ins for the account settings prod
          // requires, unless the caller's environment has real ones.
          variables: { ...VALIDATION_SETTINGS, ...accountSettingsFrom(process.env), CART_ENV: environment },
        }),
      );
      if (!setup) {
        const aws = stacks.flatMap((s) => s.providers).find((p) => p.name === 'aws');
        setup = writeTerraformCliConfig(workDir, aws ? findProviderMirror(aws) : undefined);
      }
      const current = setup;
      const byId = new Map(stacks.map((s) => [s.id, s]));
      const scheduled = await runScheduled(
        stacks.map((s) => s.id),
        () => [],
        2,
        async (id) => {
          const result = await validateStack(environment, byId.get(id) as SynthesizedStack, current);
          results.push(result);
          onResult(result);
        },
      );
      for (const [id, error] of scheduled.failed) {
        const result: StackValidation = {
          environment,
          stack: id,
          status: 'failed',
          detail: error.message,
          seconds: 0,
        };
        results.push(result);
        onResult(result);
      }
    }
    return results;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** One line per stack, e.g. `dev/network: validated (6.1 s)` or `dev/platform: skipped: needs helm, kubernetes`. */
export function formatValidation(result: StackValidation): string {
  const where = `${result.environment}/${result.stack}`;
  if (result.status === 'validated') return `${where}: validated (${result.seconds.toFixed(1)} s)`;
  if (result.status === 'skipped') return `${where}: skipped: ${result.detail}`;
  return `${where}: FAILED\n${result.detail}`;
}

async function main(): Promise<void> {
  const environments = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['dev', 'prod'];
  const results = await validateEnvironments(environments, (r) => console.log(formatValidation(r)));
  const count = (status: StackValidation['status']) => results.filter((r) => r.status === status).length;
  console.log(`${count('validated')} validated, ${count('skipped')} skipped, ${count('failed')} failed`);
  process.exitCode = count('failed') > 0 ? 1 : 0;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
