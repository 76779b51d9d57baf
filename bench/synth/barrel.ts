/**
 * The baseline: the same bundled app, but importing @cdktf/provider-aws through its package root, as most
 * cdktf examples do. Made at bench time from the bundle (dist/bundle/main.js, which keeps npm packages as
 * `require`s) so that it never drifts from the real app: every
 * `require("@cdktf/provider-aws/lib/<dir>")` becomes `require("@cdktf/provider-aws").<namespace>`, the
 * namespace the barrel exports that directory under.
 */
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** Copies the bundle to a temp dir with barrel imports; returns the copy's main.js and how many it rewrote. */
export function makeBarrelApp(root: string): { mainJs: string; rewritten: number } {
  const dir = tempDir('barrel');
  // Modules resolve from the copy's location: give it the repository's node_modules.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const namespaces = barrelNamespaces(
    readFileSync(join(root, 'node_modules', '@cdktf', 'provider-aws', 'lib', 'index.js'), 'utf8'),
  );
  const source = readFileSync(join(root, 'dist', 'bundle', 'main.js'), 'utf8');
  const rewritten = source.match(DEEP_IMPORT)?.length ?? 0;
  if (rewritten === 0)
    throw new Error('no deep @cdktf/provider-aws import found in dist/bundle/main.js: nothing to compare');
  const mainJs = join(dir, 'main.js');
  writeFileSync(mainJs, toBarrelImports(source, namespaces));
  return { mainJs, rewritten };
}
