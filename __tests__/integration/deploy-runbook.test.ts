/**
 * The README's runbook, executed: the commands of its marked block (`<!-- runbook:deploy -->`) run character for
 * character through `bash -c` from the repository root, against moto behind the gap filler — dev first, then prod
 * beside it, then both taken down in the documented order — and the emulator must end up holding nothing of ours.
 *
 * Only the environment differs from a user's shell, and only in what the emulator needs: the emulator endpoint,
 * dummy keys, the offline provider mirror (and so no provider lock), auto-approval, and the stacks whose providers
 * cannot be installed offline (helm, kubernetes) left out with CART_SKIP_STACKS. The account is moto's.
 */
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { environmentConfig } from '../../stacks/config/environments';
import { gitHeadCommit } from '../../stacks/config/settings';
import { startGapFiller, type GapFiller } from './harness/aws-gap-filler';
import { emulatorInventory, leftovers } from './harness/emulator-inventory';
import { startEmulator, type Emulator } from './harness/moto';
import { killAll, run } from './harness/process';
import { writeReport } from './harness/report';
import { isTeardown, runbookCommands } from './harness/runbook';
import { REPO_ROOT } from './harness/synth';
import { findProviderMirror, writeTerraformCliConfig } from './harness/terraform-cli';

const REGION = 'us-east-1';
/** moto's account: the environments are pinned to it (allowed_account_ids), as a real one would be. */
const ACCOUNT_ID = '123456789012';
const ADMIN_ROLE = 'platform-admins';
/** The stacks left out, and why: the report says so. */
const SKIPPED = {
  stacks: ['platform', 'cart-workload'],
  reason:
    'their helm and kubernetes providers cannot be installed offline (no registry, no mirror) and no cluster answers',
};
/** The stacks the runbook deploys here: every AWS-only one. */
const DEPLOYED = ['state', 'network', 'cluster', 'addons', 'cart'];
const RESULTS_DIR = join(REPO_ROOT, 'integration-results');
const REPORT_FILE = join(RESULTS_DIR, 'deploy-runbook.md');
const LOG_DIR = join(RESULTS_DIR, 'deploy-runbook-logs');
/** One command's deadline (a whole `npm run deploy` of five stacks included). */
const COMMAND_TIMEOUT_MS = 15 * 60_000;
const PHASE_TIMEOUT_MS = 30 * 60_000;

type Env = 'dev' | 'prod';

interface Step {
  readonly command: string;
  readonly env: Env;
  readonly exit: number | null;
  readonly seconds: number;
  readonly output: string;
}

const COMMANDS = runbookCommands(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).map((c) => c.command);
const FIRST_TEARDOWN = COMMANDS.findIndex(isTeardown);
const DEPLOY_STEPS = COMMANDS.slice(0, FIRST_TEARDOWN);
const TEARDOWN_STEPS = COMMANDS.slice(FIRST_TEARDOWN);
const BOOTSTRAP = COMMANDS.find((c) => /^npm run bootstrap\b/.test(c)) as string;
const DIFF = COMMANDS.find((c) => /^npm run diff\b/.test(c)) as string;
/** Everything, as a first deploy does it. */
const DEPLOY = COMMANDS.find((c) => /^npm run deploy$/.test(c)) as string;

/** The caller's environment without anything that would steer AWS, Terraform, cdktf or the app. */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(AWS_|TF_|CDKTF_|CART_)/.test(key)) env[key] = value;
  }
  return env;
}

/** The per-environment folders the commands write; a leftover local bootstrap state is real state: never delete it. */
function freshOutDir(env: Env): void {
  const dir = join(REPO_ROOT, 'cdktf.out', env);
  const localState = join(dir, 'bootstrap', 'state.tfstate');
  if (existsSync(localState)) {
    throw new Error(
      `${localState} exists: an interrupted bootstrap's state. Finish it (npm run bootstrap) or move it away before running this test.`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}

/** "state: no changes" for every deployed stack in `npm run diff`'s summary. */
function planSummary(output: string, env: Env): Record<string, string> {
  const heading = `plan summary (${env}):`;
  const at = output.lastIndexOf(heading);
  if (at < 0) return {};
  const rows: Record<string, string> = {};
  for (const line of output.slice(at + heading.length + 1).split('\n')) {
    const row = /^ {2}([a-z-]+): (.+)$/.exec(line);
    if (row === null) break;
    rows[row[1] as string] = row[2] as string;
  }
  return rows;
}

describe.sequential('the README runbook, run as written against a local AWS emulator', () => {
  let workDir: string;
  let emulator: Emulator | undefined;
  let filler: GapFiller | undefined;
  const variables = {} as Record<Env, NodeJS.ProcessEnv>;
  const steps: Step[] = [];
  const started = Date.now();

  async function runStep(command: string, env: Env): Promise<Step> {
    const result = await run('bash', ['-c', command], {
      cwd: REPO_ROOT,
      env: variables[env],
      timeoutMs: COMMAND_TIMEOUT_MS,
    });
    // Everything a command printed, with cdktf's progress redraws, for diagnosis.
    const output = `${result.stdout}\n${result.stderr}`;
    const step: Step = {
      command,
      env,
      exit: result.timedOut ? null : result.code,
      seconds: result.durationMs / 1000,
      output,
    };
    steps.push(step);
    const slug = command.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');
    writeFileSync(join(LOG_DIR, `${String(steps.length).padStart(2, '0')}-${env}-${slug}.log`), output);
    console.log(`${env}: ${command} → exit ${step.exit ?? 'timeout'} in ${step.seconds.toFixed(1)} s`);
    return step;
  }

  async function runAll(commands: readonly string[], env: Env): Promise<void> {
    for (const command of commands) {
      const step = await runStep(command, env);
      expect(step.exit, `${env}: ${command}\n${step.output.slice(-3000)}`).toBe(0);
    }
  }

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'cart-runbook-'));
    rmSync(LOG_DIR, { recursive: true, force: true });
    mkdirSync(LOG_DIR, { recursive: true });
    freshOutDir('dev');
    freshOutDir('prod');
    emulator = await startEmulator();
    filler = await startGapFiller({ upstream: emulator.endpoint });
    const setup = writeTerraformCliConfig(
      workDir,
      findProviderMirror({ name: 'aws', address: 'registry.terraform.io/hashicorp/aws', version: '5.100.0' }),
    );
    const iam = new IAMClient({
      endpoint: filler.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'emulator', secretAccessKey: 'emulator' },
    });
    // prod's admins get an access entry: the principal must exist, as in a real account.
    await iam.send(
      new CreateRoleCommand({
        RoleName: ADMIN_ROLE,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT_ID }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    iam.destroy();
    const emulated = {
      ...cleanEnvironment(),
      CART_AWS_ENDPOINT: filler.endpoint,
      AWS_ACCESS_KEY_ID: 'emulator',
      AWS_SECRET_ACCESS_KEY: 'emulator',
      AWS_REGION: REGION,
      CART_ACCOUNT_ID: ACCOUNT_ID,
      // The default tag, HEAD's commit, fixed for the run: a commit landing mid-run would otherwise show up as a
      // change of the cart's outputs between deploy and diff.
      CART_IMAGE_TAG: gitHeadCommit() ?? 'runbook-test',
      CART_SKIP_STACKS: SKIPPED.stacks.join(','),
      CDKTF_SKIP_PROVIDER_LOCK: 'true',
      CDKTF_AUTO_APPROVE: 'true',
      // The CLI config's plugin cache, not cdktf's default under the home directory.
      CDKTF_DISABLE_PLUGIN_CACHE_ENV: 'true',
      TF_CLI_CONFIG_FILE: setup.cliConfigFile,
      CHECKPOINT_DISABLE: '1',
    };
    variables.dev = { ...emulated, CART_ENV: 'dev' };
    variables.prod = {
      ...emulated,
      CART_ENV: 'prod',
      CART_ADMIN_CIDRS: '198.18.0.0/24',
      CART_ADMIN_PRINCIPALS: `arn:aws:iam::${ACCOUNT_ID}:role/${ADMIN_ROLE}`,
    };
    console.log(
      `gap filler at ${filler.endpoint} in front of moto at ${emulator.endpoint}; providers from ${setup.mirror ?? 'the registry'}`,
    );
  });

  afterAll(async () => {
    try {
      writeReport(REPORT_FILE, formatRunbookReport(steps, (Date.now() - started) / 1000));
    } finally {
      await killAll();
      await filler?.stop();
      await emulator?.stop();
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    }
  });

  test('the README block holds the deploy commands, then the teardown', () => {
    expect(FIRST_TEARDOWN).toBeGreaterThan(0);
    expect(BOOTSTRAP).toBe('npm run bootstrap');
    expect(DIFF).toBe('npm run diff');
    expect(DEPLOY).toBe('npm run deploy');
  });

  test(
    'dev: bootstrap, deploy, and every deployed stack then plans no changes',
    async () => {
      await runAll(DEPLOY_STEPS, 'dev');
      const diff = steps.find((s) => s.env === 'dev' && s.command === DIFF) as Step;
      expect(planSummary(diff.output, 'dev')).toEqual({
        ...Object.fromEntries(DEPLOYED.map((id) => [id, 'no changes'])),
        ...Object.fromEntries(SKIPPED.stacks.map((id) => [id, 'skipped (listed in CART_SKIP_STACKS)'])),
      });
    },
    PHASE_TIMEOUT_MS,
  );

  test(
    'dev: bootstrap again changes nothing',
    async () => {
      await runAll([BOOTSTRAP], 'dev');
      const again = steps.at(-1) as Step;
      expect(again.output).toContain('holds its own state');
      expect(again.output).toContain('No changes.');
    },
    PHASE_TIMEOUT_MS,
  );

  test(
    'prod: bootstrap and deploy beside dev',
    async () => {
      // The two commands that create an environment (dev ran the whole block; time is short on CI).
      await runAll([BOOTSTRAP, DEPLOY], 'prod');
      expect((steps.at(-1) as Step).output).toContain(`deploy prod: ${DEPLOYED.join(' → ')}`);
    },
    PHASE_TIMEOUT_MS,
  );

  test(
    'dev: untouched by prod — still no changes',
    async () => {
      await runAll([DIFF], 'dev');
      expect(planSummary((steps.at(-1) as Step).output, 'dev')).toMatchObject(
        Object.fromEntries(DEPLOYED.map((id) => [id, 'no changes'])),
      );
    },
    PHASE_TIMEOUT_MS,
  );

  test(
    'both environments taken down in the documented order',
    async () => {
      await runAll(TEARDOWN_STEPS, 'dev');
      await runAll(TEARDOWN_STEPS, 'prod');
      for (const env of ['dev', 'prod'] as const)
        expect(
          existsSync(join(REPO_ROOT, 'cdktf.out', env, 'bootstrap')),
          `${env}: local bootstrap state`,
        ).toBe(false);
    },
    PHASE_TIMEOUT_MS,
  );

  test('the emulator holds nothing of ours afterwards', async () => {
    const inventory = await emulatorInventory({
      endpoint: (filler as GapFiller).endpoint,
      region: REGION,
      iamPrefixes: [`${environmentConfig('dev').project}-`],
    });
    expect(leftovers({ ...inventory, ...(filler as GapFiller).held() })).toEqual({});
  });
});

/** Every command with its environment, exit status and duration; the stacks left out, with the reason. */
function formatRunbookReport(steps: readonly Step[], totalSeconds: number): string {
  return [
    `# Deploy runbook (${new Date().toISOString()}, ${totalSeconds.toFixed(0)} s total)`,
    '',
    'The commands of the README block `<!-- runbook:deploy -->`, run as written (`bash -c`, repository root)',
    'against moto behind the gap filler: dev, then prod beside it, then both taken down.',
    '',
    '| # | command | env | exit | seconds |',
    '|---:|---|---|---:|---:|',
    ...steps.map(
      (s, i) =>
        `| ${i + 1} | \`${s.command}\` | ${s.env} | ${s.exit ?? 'timeout'} | ${s.seconds.toFixed(1)} |`,
    ),
    '',
    `Skipped stacks (CART_SKIP_STACKS=${SKIPPED.stacks.join(',')}): ${SKIPPED.reason}.`,
    '',
    `Each command's output: \`integration-results/deploy-runbook-logs/\`.`,
    '',
  ].join('\n');
}
