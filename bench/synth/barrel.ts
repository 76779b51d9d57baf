/**
 * The baseline: the same compiled app, but importing @cdktf/provider-aws through its package root, as most
 * cdktf examples do. Made at bench time from dist/ so that it never drifts from the real app: every
 * `require("@cdktf/provider-aws/lib/<dir>")` becomes `require("@cdktf/provider-aws").<namespace>`, the
 * namespace the barrel exports that directory under.
 */
import { cpSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../lib/cleanup';

const DEEP_IMPORT = /require\("@cdktf\/provider-aws\/lib\/([^"]+)"\)/g;

/** `<dir>` → namespace, read from the barrel's own `exports.<namespace> = require("./<dir>")` lines. */
export function barrelNamespaces(barrelSource: string): Map<string, string> {
  const pairs = [...barrelSource.matchAll(/exports\.(\w+) = require\("\.\/([^"]+)"\)/g)];
  return new Map(pairs.map(([, namespace, dir]) => [dir, namespace]));
}

/** Rewrites one compiled module; throws on a directory the barrel does not export (the baseline would lie). */
export function toBarrelImports(source: string, namespaces: ReadonlyMap<string, string>): string {
  return source.replace(DEEP_IMPORT, (_match, dir: string) => {
    const namespace = namespaces.get(dir);
    if (!namespace) throw new Error(`@cdktf/provider-aws exports no namespace for lib/${dir}`);
    return `require("@cdktf/provider-aws").${namespace}`;
  });
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

/** Copies `root`/dist to a temp dir with barrel imports; returns the copy's main.js and how many it rewrote. */
export function makeBarrelApp(root: string): { mainJs: string; rewritten: number } {
  const dir = tempDir('barrel');
  // tsc's output only: the esbuild bundle (dist/bundle/) is the fast path, not the app this baseline rewrites.
  const bundle = join(root, 'dist', 'bundle');
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true, filter: (src) => src !== bundle });
  // Modules resolve from the copy's location: give it the repository's node_modules.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const namespaces = barrelNamespaces(
    readFileSync(join(root, 'node_modules', '@cdktf', 'provider-aws', 'lib', 'index.js'), 'utf8'),
  );
  let rewritten = 0;
  for (const file of jsFiles(join(dir, 'dist'))) {
    const source = readFileSync(file, 'utf8');
    rewritten += source.match(DEEP_IMPORT)?.length ?? 0;
    const barrel = toBarrelImports(source, namespaces);
    if (barrel !== source) writeFileSync(file, barrel);
  }
  if (rewritten === 0)
    throw new Error('no deep @cdktf/provider-aws import found in dist/: nothing to compare');
  return { mainJs: join(dir, 'dist', 'main.js'), rewritten };
}
