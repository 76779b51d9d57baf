/**
 * The cart image for the environment named by CART_ENV (default dev), tagged CART_IMAGE_TAG (default: the commit
 * of HEAD) — the repository and tag the `cart-workload` stack deploys and checks at plan time:
 *
 *   npm run image -- build [--dry-run]   docker build, linux/amd64, from service/Dockerfile (context: the repo root)
 *   npm run image -- push [--dry-run]    build, log in to the environment's ECR registry, push
 *
 * `--dry-run` prints the exact commands, one line each, and runs nothing. Names come from the same configuration as
 * the stacks (stacks/config: account id, region, `cart.ecrRepositoryName`), so the image lands where the plan looks.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { PLACEHOLDER_ACCOUNT_ID, environmentFromVariables } from '../stacks/config/environments';
import { ConfigError, type EnvironmentConfig } from '../stacks/config/schema';

export const IMAGE_ACTIONS = ['build', 'push'] as const;
export type ImageAction = (typeof IMAGE_ACTIONS)[number];

/** The platform the EKS nodes run (AL2023 x86_64), whatever machine builds the image. */
export const IMAGE_PLATFORM = 'linux/amd64';

/** A refusal with a message for the user (no stack trace). */
export class ImageError extends Error {
  override readonly name = 'ImageError';
}

/** One command line: programs piped into each other (`aws … | docker login …`). */
export type CommandLine = readonly (readonly string[])[];

/** Where the image goes: `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`. */
export interface ImageReference {
  readonly registry: string;
  readonly uri: string;
}

/** The environment's ECR image reference; refuses environments without a registry of their own. */
export function imageReference(config: EnvironmentConfig): ImageReference {
  if (config.environment === 'local') {
    throw new ImageError(
      'CART_ENV=local has no ECR repository: K3s runs a locally built image (see "Local" in the README); use dev or prod',
    );
  }
  if (config.account.id === PLACEHOLDER_ACCOUNT_ID) {
    throw new ImageError(
      `CART_ACCOUNT_ID is not set: ${config.environment} uses the placeholder account ${PLACEHOLDER_ACCOUNT_ID}, which has no registry; export CART_ACCOUNT_ID=<the environment's 12-digit account id>`,
    );
  }
  const registry = `${config.account.id}.dkr.ecr.${config.region}.amazonaws.com`;
  return { registry, uri: `${registry}/${config.cart.ecrRepositoryName}:${config.cart.imageTag}` };
}

/** The commands of an action, in order. */
export function imageCommands(action: ImageAction, config: EnvironmentConfig): CommandLine[] {
  const { registry, uri } = imageReference(config);
  const build: CommandLine = [
    ['docker', 'build', '--platform', IMAGE_PLATFORM, '--file', 'service/Dockerfile', '--tag', uri, '.'],
  ];
  if (action === 'build') return [build];
  return [
    build,
    [
      ['aws', 'ecr', 'get-login-password', '--region', config.region],
      ['docker', 'login', '--username', 'AWS', '--password-stdin', registry],
    ],
    [['docker', 'push', uri]],
  ];
}

/** A command line as a shell would take it (arguments quoted only when they need it). */
export function formatCommand(line: CommandLine): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`);
  return line.map((program) => program.map(quote).join(' ')).join(' | ');
}

/** Fails with what to do when a program the commands need is not installed. */
function requirePrograms(lines: readonly CommandLine[]): void {
  const programs = [...new Set(lines.flatMap((line) => line.map((program) => program[0])))];
  for (const program of programs) {
    const probe = spawnSync(program, ['--version'], { stdio: 'ignore' });
    if (probe.error !== undefined) {
      throw new ImageError(
        `${program} was not found on PATH: npm run image runs ${programs.join(' and ')} (Docker with BuildKit builds the ${IMAGE_PLATFORM} image; the AWS CLI logs in to ECR). Install it, or add --dry-run to print the commands without running them`,
      );
    }
  }
}

/** Runs one command line from the repository root; a pipe hands the first program's output to the second. */
function runLine(line: CommandLine, cwd: string): void {
  let input: Buffer | undefined;
  for (const [index, [program, ...args]] of line.entries()) {
    const last = index === line.length - 1;
    const result: SpawnSyncReturns<Buffer> = spawnSync(program, args, {
      cwd,
      input,
      stdio: [input === undefined ? 'inherit' : 'pipe', last ? 'inherit' : 'pipe', 'inherit'],
    });
    if (result.status !== 0) {
      throw new ImageError(`${formatCommand([line[index]])} failed (exit ${String(result.status)})`);
    }
    input = result.stdout ?? undefined;
  }
}

/** `image <action> [--dry-run]`: the exit code. */
export function main(
  argv: readonly string[],
  variables: Readonly<Record<string, string | undefined>>,
  out: (line: string) => void = (line) => console.log(line),
): number {
  const [action, ...flags] = argv;
  const unknown = flags.filter((flag) => flag !== '--dry-run');
  if (!(IMAGE_ACTIONS as readonly string[]).includes(action ?? '') || unknown.length > 0) {
    throw new ImageError(
      `usage: npm run image -- <${IMAGE_ACTIONS.join('|')}> [--dry-run] (got: ${JSON.stringify(argv.join(' '))})`,
    );
  }
  const lines = imageCommands(action as ImageAction, environmentFromVariables(variables));
  if (flags.includes('--dry-run')) {
    for (const line of lines) out(formatCommand(line));
    return 0;
  }
  requirePrograms(lines);
  for (const line of lines) {
    out(`$ ${formatCommand(line)}`);
    runLine(line, join(__dirname, '..'));
  }
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ImageError || error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
