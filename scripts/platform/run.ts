/** Runs the CLIs the platform commands drive (cdktf, terraform), echoing their output and keeping a copy. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
const CDKTF_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'cdktf');

export interface RunOutcome {
  readonly code: number;
  /** stdout and stderr as printed, interleaved. */
  readonly output: string;
}

export interface RunOptions {
  readonly cwd?: string;
  /** Print the child's output as it comes. @default true */
  readonly echo?: boolean;
  /**
   * Keep a copy of the output (stdout and stderr piped through this process). Off, the child owns the terminal,
   * which cdktf's interactive approval prompt needs.
   * @default true
   */
  readonly capture?: boolean;
  /** Variables added to the caller's environment. @default {} */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs a command with the caller's environment plus `CHECKPOINT_DISABLE=1` (no HashiCorp version check: it only
 * prints `getaddrinfo ENOTFOUND checkpoint-api.hashicorp.com` offline and phones home online).
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunOutcome> {
  const echo = options.echo ?? true;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env, CHECKPOINT_DISABLE: '1' },
      stdio: options.capture === false ? 'inherit' : ['inherit', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      if (echo) stream.write(chunk);
    };
    child.stdout?.on('data', collect(process.stdout));
    child.stderr?.on('data', collect(process.stderr));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

/** The project's own cdktf CLI. */
export function cdktf(args: readonly string[], options?: RunOptions): Promise<RunOutcome> {
  return run(CDKTF_BIN, args, options);
}

/**
 * The app itself (cdktf.json's `app` command, run from the repository root as `cdktf synth` runs it) writing into
 * `outDir`. What `cdktf synth` adds around it is a second Node.js start-up that loads the whole CLI and a
 * `terraform version` check: ~15 s of a ~20 s synth on a busy 2-core machine, and every command synthesizes.
 */
export function synthApp(outDir: string, options: RunOptions = {}): Promise<RunOutcome> {
  const { app } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdktf.json'), 'utf8')) as { app: string };
  return run('sh', ['-c', app], { ...options, env: { ...options.env, CDKTF_OUTDIR: outDir } });
}

/** Terraform from the PATH, in a stack's working directory. */
export function terraform(dir: string, args: readonly string[], options?: RunOptions): Promise<RunOutcome> {
  return run('terraform', args, { ...options, cwd: dir });
}

/** Fails with the command's output tail when it did not exit 0. */
export function check(outcome: RunOutcome, what: string): RunOutcome {
  if (outcome.code !== 0) {
    throw new CommandError(`${what} failed (exit ${outcome.code})`);
  }
  return outcome;
}

/** A failure the user acts on (bad input, a failed Terraform step): printed as a message, without a stack trace. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}
