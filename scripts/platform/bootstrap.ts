/**
 * `npm run bootstrap`: the environment's state bucket, with the state of the stack that creates it kept in that
 * same bucket (key `<env>/state.tfstate`), so nothing lives only on one laptop. Idempotent: once the bucket exists
 * it is a plain plan/apply of the `state` stack on its S3 backend, which reports no changes.
 *
 * The first run cannot use the S3 backend (the bucket does not exist yet), so it applies the stack with a local
 * backend (a Terraform override file, `bootstrap_override.tf.json`), then removes the override and lets
 * `terraform init -migrate-state -force-copy` copy the local state into the bucket. An interrupted first run
 * resumes from the local state file it left.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { STATE_STACK } from './commands';
import { environmentOutDir, synthesizeEnvironment } from './environment';
import type { ManifestStack } from './manifest';
import { CommandError, check, terraform } from './run';
import type { CommandSettings } from './settings';

const OVERRIDE_FILE = 'bootstrap_override.tf.json';

/** Where the first run keeps the state stack's state until the bucket can hold it. */
export function bootstrapStateFile(environment: string): string {
  return join(environmentOutDir(environment), 'bootstrap', 'state.tfstate');
}

export function stateStackOf(stacks: readonly ManifestStack[], environment: string): ManifestStack {
  const stack = stacks.find((s) => s.id === STATE_STACK);
  if (stack === undefined) {
    throw new CommandError(
      `environment "${environment}" has no "${STATE_STACK}" stack: it keeps no remote state (nothing to bootstrap)`,
    );
  }
  return stack;
}

/** Points the stack at a local state file, over the S3 backend in cdk.tf.json. */
export function useLocalBackend(stack: ManifestStack, stateFile: string): void {
  mkdirSync(dirname(stateFile), { recursive: true });
  const override = { terraform: { backend: { local: { path: stateFile } } } };
  writeFileSync(join(stack.dir, OVERRIDE_FILE), JSON.stringify(override, null, 2));
}

export function useS3Backend(stack: ManifestStack): void {
  rmSync(join(stack.dir, OVERRIDE_FILE), { force: true });
}

const INIT = ['init', '-input=false', '-reconfigure'];
const APPLY = ['apply', '-input=false', '-auto-approve'];
/** Terraform's S3 backend, when the bucket it is configured with does not exist (yet). */
const NO_BUCKET = /S3 bucket "[^"]+" does not exist|NoSuchBucket/;

export async function bootstrap(settings: CommandSettings): Promise<void> {
  const environment = settings.config.environment;
  const stack = stateStackOf(await synthesizeEnvironment(environment), environment);
  const localState = bootstrapStateFile(environment);
  const bucket = settings.config.state.bucketName;

  if (!existsSync(localState)) {
    const init = await terraform(stack.dir, INIT, { echo: false });
    if (init.code === 0) {
      console.log(`bootstrap ${environment}: bucket ${bucket} holds its own state; applying the state stack`);
      check(await terraform(stack.dir, APPLY), 'terraform apply (state)');
      return;
    }
    if (!NO_BUCKET.test(init.output)) {
      process.stderr.write(init.output);
      throw new CommandError('terraform init (state) failed');
    }
    console.log(`bootstrap ${environment}: creating bucket ${bucket} with local state first`);
  } else {
    console.log(`bootstrap ${environment}: resuming from ${localState}`);
  }

  useLocalBackend(stack, localState);
  check(await terraform(stack.dir, INIT), 'terraform init (local backend)');
  check(await terraform(stack.dir, APPLY), 'terraform apply (state, local backend)');
  useS3Backend(stack);
  check(
    await terraform(stack.dir, ['init', '-input=false', '-migrate-state', '-force-copy']),
    'terraform init -migrate-state (into the bucket)',
  );
  const listed = check(
    await terraform(stack.dir, ['state', 'list'], { echo: false }),
    'terraform state list',
  );
  if (!listed.output.includes('aws_s3_bucket.bucket')) {
    throw new CommandError(
      `the migrated state in s3://${bucket} does not list the bucket; kept ${localState}`,
    );
  }
  rmSync(dirname(localState), { recursive: true, force: true });
  console.log(
    `bootstrap ${environment}: state of the state stack now in s3://${bucket}/${environment}/state.tfstate`,
  );
}
