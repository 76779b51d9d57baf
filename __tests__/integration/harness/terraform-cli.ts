/**
 * Terraform for the harness: a CLI configuration of its own (the offline provider mirror when the machine has
 * one, a shared plugin cache) and a `terraform` runner with a deadline on every command.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { run, type RunResult } from './process';

/** Environment variable naming a provider mirror folder (`<host>/<namespace>/<type>/<version>/<os_arch>/`). */
export const PROVIDER_MIRROR_VARIABLE = 'TF_PROVIDER_MIRROR';

/** Where machines usually keep a filesystem mirror (Terraform's implied local mirror folders included). */
export const MIRROR_CANDIDATES = [
  '/opt/tf-plugins',
  join(homedir(), '.terraform.d', 'plugins'),
  join(homedir(), '.local', 'share', 'terraform', 'plugins'),
  '/usr/local/share/terraform/plugins',
  '/usr/share/terraform/plugins',
];

/** `linux_amd64` and friends, as Terraform names platforms. */
export function terraformPlatform(): string {
  const arch =
    { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' }[process.arch as string] ?? process.arch;
  return `${process.platform}_${arch}`;
}

/** A provider as `required_providers` names it: `hashicorp/aws` at `5.100.0`. */
export interface ProviderRequirement {
  /** Local name, e.g. `aws`. */
  readonly name: string;
  /** `registry.terraform.io/hashicorp/aws`. */
  readonly address: string;
  readonly version: string;
}

/** Normalizes `aws`, `hashicorp/aws` or `registry.terraform.io/hashicorp/aws` to the full address. */
export function providerAddress(source: string): string {
  const parts = source.split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts[0]}/${parts[1]}`;
  return source;
}

/** The providers of a mirror folder, as addresses with the versions it holds for this platform. */
export function mirrorContents(mirror: string): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const list = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
  const platform = terraformPlatform();
  for (const host of list(mirror)) {
    for (const namespace of list(join(mirror, host))) {
      for (const type of list(join(mirror, host, namespace))) {
        const address = `${host}/${namespace}/${type}`;
        for (const entry of list(join(mirror, host, namespace, type))) {
          // Unpacked layout: <version>/<os_arch>/; packed layout: terraform-provider-<type>_<version>_<os_arch>.zip.
          const packed = new RegExp(`^terraform-provider-${type}_(.+)_${platform}\\.zip$`).exec(entry);
          const version = packed
            ? packed[1]
            : existsSync(join(mirror, address, entry, platform))
              ? entry
              : undefined;
          if (version === undefined) continue;
          found.set(address, (found.get(address) ?? new Set()).add(version));
        }
      }
    }
  }
  return found;
}

/**
 * The provider mirror to use: `TF_PROVIDER_MIRROR` when set (it must hold providers), else the first known
 * folder holding the requested provider; `undefined` means install from the registry.
 */
export function findProviderMirror(
  wanted: ProviderRequirement,
  variables: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const explicit = variables[PROVIDER_MIRROR_VARIABLE];
  if (explicit !== undefined && explicit !== '') {
    if (mirrorContents(explicit).size === 0) {
      throw new Error(`${PROVIDER_MIRROR_VARIABLE}=${explicit} holds no provider for ${terraformPlatform()}`);
    }
    return explicit;
  }
  return MIRROR_CANDIDATES.find((dir) => mirrorContents(dir).get(wanted.address)?.has(wanted.version));
}

export interface TerraformSetup {
  /** The CLI configuration file (TF_CLI_CONFIG_FILE). */
  readonly cliConfigFile: string;
  /** The filesystem mirror in use; `undefined` when providers come from the registry. */
  readonly mirror: string | undefined;
  /** Whether Terraform can install a provider here (from the mirror, or from the registry without one). */
  canInstall(provider: ProviderRequirement): boolean;
}

/** Writes a CLI configuration into `dir`: the mirror (if any) for the providers it holds, a shared plugin cache. */
export function writeTerraformCliConfig(dir: string, mirror: string | undefined): TerraformSetup {
  const cacheDir = join(dir, 'plugin-cache');
  mkdirSync(cacheDir, { recursive: true });
  const contents = mirror === undefined ? undefined : mirrorContents(mirror);
  const lines = [
    `plugin_cache_dir = ${JSON.stringify(cacheDir)}`,
    // Since Terraform 1.4 an init whose folder has no lock file yet (every synthesized stack here) installs the
    // provider again and rewrites its cache entry, which other stacks' `.terraform/providers` link to: a
    // `terraform validate` running beside that init then finds no package ("there is no package for
    // registry.terraform.io/hashicorp/aws … cached in .terraform/providers"). With this, only the first init writes
    // the cache; later ones link to it. The lock files it leaves lack checksums, which throwaway folders never need.
    'plugin_cache_may_break_dependency_lock_file = true',
  ];
  if (contents !== undefined) {
    lines.push(
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(mirror)}`,
      `    include = ${JSON.stringify([...contents.keys()])}`,
      '  }',
      '}',
    );
  }
  const cliConfigFile = join(dir, 'terraform.rc');
  writeFileSync(cliConfigFile, `${lines.join('\n')}\n`);
  return {
    cliConfigFile,
    mirror,
    canInstall: (provider) =>
      contents === undefined || (contents.get(provider.address)?.has(provider.version) ?? false),
  };
}

/** The environment Terraform runs with: ours, minus the caller's Terraform and AWS settings. */
export function terraformEnvironment(cliConfigFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // A stray TF_WORKSPACE, TF_DATA_DIR, TF_CLI_ARGS or AWS_PROFILE would change what the commands do.
    if (!key.startsWith('TF_') && !key.startsWith('AWS_')) env[key] = value;
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Default deadlines per command, generous for a 2-core machine but bounded. */
export const TERRAFORM_TIMEOUTS_MS = {
  init: 120_000,
  validate: 120_000,
  plan: 240_000,
  apply: 300_000,
  destroy: 300_000,
  other: 120_000,
} as const;

/**
 * `terraform init` calls run one at a time: each installs into the shared plugin cache, and two installing the
 * same provider at once can leave one of them without the binary ("provider binary not found").
 */
let initQueue: Promise<unknown> = Promise.resolve();
function oneInitAtATime<T>(work: () => Promise<T>): Promise<T> {
  const result = initQueue.then(work, work);
  initQueue = result.catch(() => undefined);
  return result;
}

/** Runs `terraform <args>` in a stack folder with the harness's CLI configuration and a deadline. */
export function terraform(
  args: readonly string[],
  options: { cwd: string; cliConfigFile: string; timeoutMs?: number },
): Promise<RunResult> {
  const sub = args[0] as keyof typeof TERRAFORM_TIMEOUTS_MS;
  const timeoutMs = options.timeoutMs ?? TERRAFORM_TIMEOUTS_MS[sub] ?? TERRAFORM_TIMEOUTS_MS.other;
  const command = () =>
    run('terraform', args, { cwd: options.cwd, env: terraformEnvironment(options.cliConfigFile), timeoutMs });
  return sub === 'init' ? oneInitAtATime(command) : command();
}

/** A short, readable account of a failed command: its last lines of output. */
export function describeFailure(result: RunResult, tail = 60): string {
  const lines = `${result.stdout}\n${result.stderr}`.trim().split('\n');
  const why = result.timedOut ? 'timed out' : `exited ${result.code}`;
  return `\`${result.command}\` ${why}:\n${lines.slice(-tail).join('\n')}`;
}
