import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatCommand, main } from '../../scripts/image';
import { PROD_SETTINGS } from '../helpers/settings';

const ROOT = join(__dirname, '..', '..');
const DEV = { CART_ENV: 'dev', CART_ACCOUNT_ID: '123456789012', CART_IMAGE_TAG: '1.0.0' };
const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

/** `main` with its printed lines collected. */
function dryRun(argv: string[], variables: Record<string, string>): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = main(argv, variables, (line) => lines.push(line));
  return { code, lines };
}

/** The script as `npm run image` runs it (tsx), with exactly these variables and PATH. */
function runScript(args: string[], env: Record<string, string>) {
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return spawnSync(process.execPath, [tsx, 'scripts/image.ts', ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
}

describe('npm run image', () => {
  test('push --dry-run: build linux/amd64, log in to the environment registry, push — exactly, nothing run', () => {
    expect(dryRun(['push', '--dry-run'], DEV)).toEqual({
      code: 0,
      lines: [
        `docker build --platform linux/amd64 --file service/Dockerfile --tag ${REGISTRY}/retail-dev/cart:1.0.0 .`,
        `aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin ${REGISTRY}`,
        `docker push ${REGISTRY}/retail-dev/cart:1.0.0`,
      ],
    });
  });

  test("build --dry-run for prod: prod's repository, the build only", () => {
    expect(
      dryRun(['build', '--dry-run'], { CART_ENV: 'prod', CART_IMAGE_TAG: '3f2a9c1', ...PROD_SETTINGS }),
    ).toEqual({
      code: 0,
      lines: [
        `docker build --platform linux/amd64 --file service/Dockerfile --tag ${REGISTRY}/retail-prod/cart:3f2a9c1 .`,
      ],
    });
  });

  test('without CART_IMAGE_TAG the tag is the commit of HEAD, as the stacks deploy it', () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const { lines } = dryRun(['build', '--dry-run'], { CART_ACCOUNT_ID: '123456789012' });
    expect(lines).toEqual([
      `docker build --platform linux/amd64 --file service/Dockerfile --tag ${REGISTRY}/retail-dev/cart:${head} .`,
    ]);
  });

  test.each([
    [
      ['push', '--dry-run'],
      { CART_ENV: 'staging' },
      'CART_ENV="staging" is not an environment; allowed: dev, prod, local, emulator',
    ],
    [['push', '--dry-run'], { CART_ENV: 'local' }, 'CART_ENV=local has no ECR repository'],
    [
      ['push', '--dry-run'],
      { CART_ENV: 'dev' },
      'CART_ACCOUNT_ID is not set: dev uses the placeholder account 000000000000',
    ],
    [['push', '--dry-run'], { CART_ENV: 'prod' }, 'CART_ADMIN_CIDRS is not set'],
    [['deploy'], DEV, 'usage: npm run image -- <build|push> [--dry-run] (got: "deploy")'],
    [['push', '--force'], DEV, 'usage: npm run image -- <build|push> [--dry-run] (got: "push --force")'],
  ])('refuses %j with %j', (argv, variables, message) => {
    expect(() => dryRun(argv, variables)).toThrow(message);
  });

  test('docker missing: exit 1 and what to do, no stack trace, nothing run', () => {
    const result = runScript(['build'], { ...DEV, PATH: dirname(process.execPath) + '/nonexistent' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'docker was not found on PATH: npm run image runs docker (Docker with BuildKit builds the linux/amd64 image; the AWS CLI logs in to ECR). Install it, or add --dry-run to print the commands without running them\n',
    );
  });

  test('a bad environment from the command line: the configuration error, exit 1, no stack trace', () => {
    const result = runScript(['push', '--dry-run'], { CART_ENV: 'staging', PATH: dirname(process.execPath) });
    expect([result.status, result.stdout]).toEqual([1, '']);
    expect(result.stderr).toBe(
      'Invalid configuration for environment "staging":\n  - CART_ENV="staging" is not an environment; allowed: dev, prod, local, emulator\n',
    );
  });

  test('formatCommand quotes only the arguments a shell would split', () => {
    expect(formatCommand([['echo', 'a b', "it's", 'x:y/z']])).toBe(`echo 'a b' 'it'\\''s' x:y/z`);
  });
});

describe('README "The cart image"', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = readme.slice(readme.indexOf('<!-- image:push -->'), readme.indexOf('<!-- /image:push -->'));
  const imageLines = block.split('\n').filter((line) => line.startsWith('npm run image -- '));

  test('its image commands are the script actions, and each runs (as a dry run) for dev', () => {
    expect(imageLines).toEqual(['npm run image -- push --dry-run', 'npm run image -- push']);
    for (const line of imageLines) {
      const argv = line.slice('npm run image -- '.length).split(' ');
      const dry = argv.includes('--dry-run') ? argv : [...argv, '--dry-run'];
      expect(dryRun(dry, DEV).code, line).toBe(0);
    }
  });

  test('the dry-run output it shows is what the script prints', () => {
    const shown = readme.slice(readme.indexOf('`--dry-run` prints:'));
    const printed = dryRun(['push', '--dry-run'], DEV).lines.join('\n');
    expect(shown).toContain('```\n' + printed + '\n```');
  });
});
