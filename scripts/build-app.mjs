/**
 * The fast path from main.ts to a synthesized app: esbuild bundles the project's own code (main.ts, stacks/,
 * modules/, backend/, the JSON policies and the service workspace's contract) into one CommonJS file in a few
 * tens of milliseconds, without type-checking — `npm run typecheck` and CI do that (`npm run synth:checked` does
 * both). npm packages stay external and are required from node_modules at run time,
 * exactly as tsc's output requires them (deep `@cdktf/provider-aws/lib/<resource>` paths stay deep): bundling
 * them too makes this build ~20× slower (~0.4 s for 5.6 MB) and saves less than that at run time.
 *
 *   node scripts/build-app.mjs          writes dist/bundle/main.js (+ .map)
 *   node scripts/build-app.mjs --run    builds, then runs the app in this process (`npm run synth`, cdktf.json)
 *
 * Plain .mjs, not TypeScript: running a .ts script would need tsx's loader, which costs more than the build.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';

// esbuild through `require`: importing its CommonJS entry as ESM costs ~0.1 s of module-lexer work at every run.
const require = createRequire(import.meta.url);
const { buildSync } = require('esbuild');

const ROOT = resolve(import.meta.dirname, '..');
const OUTFILE = join(ROOT, 'dist', 'bundle', 'main.js');

/**
 * Every package the root declares is external, except the repository's own workspaces: their source (TypeScript,
 * e.g. `@cart-platform/service/contract`) is part of the app and is bundled like a relative import.
 */
function externalPackages() {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const workspaces = new Set(
    (root.workspaces ?? []).map(
      (dir) => JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')).name,
    ),
  );
  return [...Object.keys(root.dependencies ?? {}), ...Object.keys(root.devDependencies ?? {})].filter(
    (name) => !workspaces.has(name),
  );
}

/** Bundles main.ts; exits 1 (esbuild has printed the errors) when the code does not build. */
function buildApp() {
  let result;
  try {
    result = buildSync({
      absWorkingDir: ROOT,
      entryPoints: [join(ROOT, 'main.ts')],
      outfile: OUTFILE,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      // A package and every subpath of it (`@cdktf/provider-aws/lib/vpc`) stay `require` calls.
      external: externalPackages(),
      // `.name` of functions and classes as in tsc's output, even where esbuild renames a clashing top-level name.
      keepNames: true,
      // For NODE_OPTIONS=--enable-source-maps when a stack trace should point into the sources.
      sourcemap: true,
      logLevel: 'warning',
      write: false,
    });
  } catch {
    process.exit(1);
  }
  // Write-then-rename: a synth running at the same moment (the CLI, a test) never reads a half-written bundle.
  mkdirSync(dirname(OUTFILE), { recursive: true });
  for (const file of result.outputFiles) {
    const partial = `${file.path}.${process.pid}.tmp`;
    writeFileSync(partial, file.contents);
    renameSync(partial, file.path);
  }
}

buildApp();
if (process.argv.includes('--run')) require(OUTFILE);
