/**
 * `npm run retire -- --confirm <env>`: tears a whole environment down, the state bucket last, whatever protection
 * the environment configures (prod's deletion protection, `prevent_destroy`, non-empty repositories).
 *
 * Protection lives partly in AWS (DynamoDB deletion protection) and partly in state (S3 `force_destroy`, ECR
 * `force_delete`), so each deployed stack is first applied with the retire settings (CART_RETIRE=true), then
 * destroyed, dependants first. The state stack goes last: its state is moved out of the bucket it is about to
 * delete (the reverse of bootstrap), then the bucket is emptied and deleted.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { bootstrapStateFile, stateStackOf, useLocalBackend } from './bootstrap';
import { STATE_STACK } from './commands';
import { environmentOutDir, synthesizeEnvironment } from './environment';
import type { ManifestStack } from './manifest';
import { CommandError, cdktf, check, terraform } from './run';
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

export async function retire(settings: CommandSettings, confirm: string | undefined): Promise<void> {
  const environment = settings.config.environment;
  if (confirm !== environment) {
    throw new CommandError(
      `retire deletes every resource of "${environment}" and its state bucket, whatever protection is configured. ` +
        `Confirm with: npm run retire -- --confirm ${environment}`,
    );
  }
  const outDir = environmentOutDir(environment);
  const stacks = await synthesizeEnvironment(environment, { [RETIRE_VARIABLE]: 'true' });
  const selection = selectStacks(stacks, {
    requested: [],
    skip: settings.skipStacks,
    excludeFromAll: [STATE_STACK],
    reverse: true,
  });
  for (const id of selection.skipped) console.log(`skipped ${id}: listed in CART_SKIP_STACKS`);
  const common = [
    '--output',
    outDir,
    '--skip-synth',
    '--ignore-missing-stack-dependencies',
    '--auto-approve',
  ];
  for (const stack of selection.stacks) {
    if (!(await isDeployed(stack))) {
      console.log(`retire ${environment}: ${stack.id} holds nothing`);
      continue;
    }
    console.log(`retire ${environment}: ${stack.id} — lifting protection, then destroying`);
    check(
      await cdktf(['deploy', stack.id, ...common], { capture: false }),
      `cdktf deploy ${stack.id} (retire)`,
    );
    check(await cdktf(['destroy', stack.id, ...common], { capture: false }), `cdktf destroy ${stack.id}`);
  }

  const state = stateStackOf(stacks, environment);
  const localState = bootstrapStateFile(environment);
  useLocalBackend(state, localState);
  check(
    await terraform(state.dir, ['init', '-input=false', '-migrate-state', '-force-copy']),
    'terraform init -migrate-state (out of the bucket)',
  );
  check(
    await terraform(state.dir, ['apply', '-input=false', '-auto-approve']),
    'terraform apply (state, retire)',
  );
  check(
    await terraform(state.dir, ['destroy', '-input=false', '-auto-approve']),
    'terraform destroy (state)',
  );
  rmSync(dirname(localState), { recursive: true, force: true });
  console.log(`retire ${environment}: done — the state bucket ${settings.config.state.bucketName} is gone`);
}
