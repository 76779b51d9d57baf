/**
 * `npm run retire -- --confirm <env>`: tears a whole environment down, the state bucket last, whatever protection
 * the environment configures (prod's deletion protection, `prevent_destroy`, non-empty repositories).
 *
 * Protection lives partly in AWS (DynamoDB deletion protection) and partly in state (S3 `force_destroy`, ECR
 * `force_delete`), so a deployed stack whose retire synthesis (CART_RETIRE=true) differs from its ordinary one is
 * first applied with the retire settings, then destroyed, dependants first. A stack whose two syntheses are the
 * same has nothing to lift (the environment was deployed from this code): it is only destroyed, which saves a
 * whole plan/apply per stack (most of dev's). The per-stack steps are plain Terraform in the stack's folder,
 * which `isDeployed` has just initialised. The state stack goes last: its state is moved out of the bucket it is
 * about to delete (the reverse of bootstrap), then the bucket is emptied and deleted.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bootstrapStateFile, stateStackOf, useLocalBackend } from './bootstrap';
import { STATE_STACK } from './commands';
import { synthesizeEnvironment } from './environment';
import type { ManifestStack } from './manifest';
import { CommandError, check, terraform } from './run';
import { selectStacks } from './selection';
import type { CommandSettings } from './settings';

/** The variable that lifts every protection at synth (stacks/config/schema.ts). */
export const RETIRE_VARIABLE = 'CART_RETIRE';

async function isDeployed(stack: ManifestStack): Promise<boolean> {
  check(
    await terraform(stack.dir, ['init', '-input=false'], { echo: false }),
    `terraform init (${stack.id})`,
  );
  const listed = check(
    await terraform(stack.dir, ['state', 'list'], { echo: false }),
    `terraform state list (${stack.id})`,
  );
  return listed.output.trim().length > 0;
}

function stackJson(stack: ManifestStack): string {
  return readFileSync(join(stack.dir, 'cdk.tf.json'), 'utf8');
}

/**
 * The stacks whose Terraform configuration changes under CART_RETIRE: the ones with a protection to lift.
 * Synthesizes twice (ordinary, then retire — the one left in the folder); a stack new in the retire synthesis
 * counts as changed.
 */
export async function retireSynthesis(
  environment: string,
): Promise<{ stacks: ManifestStack[]; lifted: Set<string> }> {
  const ordinary = new Map(
    (await synthesizeEnvironment(environment)).map((stack) => [stack.id, stackJson(stack)]),
  );
  const stacks = await synthesizeEnvironment(environment, { [RETIRE_VARIABLE]: 'true' });
  const lifted = new Set(stacks.filter((s) => ordinary.get(s.id) !== stackJson(s)).map((s) => s.id));
  return { stacks, lifted };
}

const APPLY = ['apply', '-input=false', '-auto-approve'];
const DESTROY = ['destroy', '-input=false', '-auto-approve'];

export async function retire(settings: CommandSettings, confirm: string | undefined): Promise<void> {
  const environment = settings.config.environment;
  if (confirm !== environment) {
    throw new CommandError(
      `retire deletes every resource of "${environment}" and its state bucket, whatever protection is configured. ` +
        `Confirm with: npm run retire -- --confirm ${environment}`,
    );
  }
  const { stacks, lifted } = await retireSynthesis(environment);
  const selection = selectStacks(stacks, {
    requested: [],
    skip: settings.skipStacks,
    excludeFromAll: [STATE_STACK],
    reverse: true,
  });
  for (const id of selection.skipped) console.log(`skipped ${id}: listed in CART_SKIP_STACKS`);
  for (const stack of selection.stacks) {
    if (!(await isDeployed(stack))) {
      console.log(`retire ${environment}: ${stack.id} holds nothing`);
      continue;
    }
    if (lifted.has(stack.id)) {
      console.log(`retire ${environment}: ${stack.id} — lifting protection, then destroying`);
      check(await terraform(stack.dir, APPLY), `terraform apply (${stack.id}, retire)`);
    } else {
      console.log(`retire ${environment}: ${stack.id} — no protection to lift, destroying`);
    }
    check(await terraform(stack.dir, DESTROY), `terraform destroy (${stack.id})`);
  }

  const state = stateStackOf(stacks, environment);
  const localState = bootstrapStateFile(environment);
  useLocalBackend(state, localState);
  check(
    await terraform(state.dir, ['init', '-input=false', '-migrate-state', '-force-copy']),
    'terraform init -migrate-state (out of the bucket)',
  );
  check(await terraform(state.dir, APPLY), 'terraform apply (state, retire)');
  check(await terraform(state.dir, DESTROY), 'terraform destroy (state)');
  rmSync(dirname(localState), { recursive: true, force: true });
  console.log(`retire ${environment}: done — the state bucket ${settings.config.state.bucketName} is gone`);
}
