/**
 * The fast synth path (scripts/build-app.mjs): an esbuild bundle of the project's own code that keeps every npm
 * package a `require` (provider classes by deep path), and writes the same Terraform as main.ts compiled file by
 * file (tsx, whose per-file transpile is what tsc emits).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROD_SETTINGS } from '../helpers/settings';

const ROOT = resolve(__dirname, '..', '..');
const BUNDLE = join(ROOT, 'dist', 'bundle', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'build-app-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function synth(args: string[], environment: string, outdir: string): void {
  execFileSync(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...(environment === 'prod' && PROD_SETTINGS),
      CART_ENV: environment,
      CDKTF_OUTDIR: outdir,
      CHECKPOINT_DISABLE: '1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 60_000,
  });
}

/**
 * Every file of a synth output directory, by relative path, as text — but the guardrails' SARIF report, which
 * records the pass's duration and the output's own path (its shape is tested with the guardrails).
 */
function outputFiles(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter(
    (e) => e.isFile() && e.name !== 'guardrails.sarif',
  );
  return Object.fromEntries(
    files.map((e) => {
      const path = join(e.parentPath, e.name);
      return [path.slice(dir.length + 1), readFileSync(path, 'utf8')];
    }),
  );
}

describe('scripts/build-app.mjs', () => {
  let bundle = '';
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-app.mjs')], { cwd: ROOT, timeout: 60_000 });
    bundle = readFileSync(BUNDLE, 'utf8');
  });

  test('npm run synth and the cdktf CLI run the same fast path', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const cdktf = JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8')) as { app: string };
    expect(pkg.scripts.synth).toBe('node scripts/build-app.mjs --run');
    expect(cdktf.app).toBe(pkg.scripts.synth);
  });

  test('bundles the project and the service contract, never a package', () => {
    // esbuild marks each bundled source with a `// <path>` comment.
    expect(bundle).toContain('\n// main.ts\n');
    expect(bundle).toContain('\n// service/src/contract.ts\n');
    expect(bundle).toContain('\n// modules/addons/policies/lbc-iam-policy.json\n');
    expect(bundle).not.toMatch(/^\/\/ node_modules\//m);
  });

  test('keeps provider imports deep: no package barrel is required', () => {
    const providerRequires = [...bundle.matchAll(/require\("(@cdktf\/provider-[a-z]+[^"]*)"\)/g)].map(
      (m) => m[1],
    );
    expect(providerRequires.length).toBeGreaterThan(30);
    expect(providerRequires.filter((path) => !/^@cdktf\/provider-[a-z]+\/lib\/[\w-]+$/.test(path))).toEqual(
      [],
    );
  });

  test.each(['dev', 'prod', 'local'])(
    '%s: the bundle writes the same files as main.ts through tsx',
    (env) => {
      synth([BUNDLE], env, join(work, `bundle-${env}`));
      synth(['--import', 'tsx', join(ROOT, 'main.ts')], env, join(work, `tsx-${env}`));
      const bundled = outputFiles(join(work, `bundle-${env}`));
      expect(Object.keys(bundled)).toContain('manifest.json');
      expect(bundled).toEqual(outputFiles(join(work, `tsx-${env}`)));
    },
  );
});
