/** Per-environment working directories: one environment's Terraform state and plugins never meet another's. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cdktf, check } from './run';
import { readManifest, type ManifestStack } from './manifest';
import { REPO_ROOT } from './run';

/**
 * `cdktf.out/<env>`: the synthesized stacks and their Terraform working directories (`.terraform`, with the
 * backend each was initialised for). A shared `cdktf.out/stacks/<stack>` would make `terraform init` fail with
 * "Backend configuration changed" after switching CART_ENV, and cdktf's own advice (`--migrate-state`) would copy
 * one environment's state into the other's key.
 */
export function environmentOutDir(environment: string): string {
  return join(REPO_ROOT, 'cdktf.out', environment);
}

/** Synthesizes the app for the environment into its own folder and reads back its stacks. */
export async function synthesizeEnvironment(
  environment: string,
  env: Readonly<Record<string, string>> = {},
): Promise<ManifestStack[]> {
  const outDir = environmentOutDir(environment);
  // cdktf's App creates its output folder without its parents: on a fresh clone cdktf.out/ does not exist yet.
  mkdirSync(outDir, { recursive: true });
  check(await cdktf(['synth', '--output', outDir], { env }), 'cdktf synth');
  return readManifest(outDir);
}
