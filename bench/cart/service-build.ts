/**
 * The service as it runs in production (`node dist/server.js`), compiled into a temp dir. Not run through tsx:
 * its loader thread and esbuild child add ~30 MB to the process and would inflate the memory figures.
 * esbuild (tsx's own compiler) transpiles file by file in a fraction of a second, where `tsc` takes 10-20 s
 * here; both emit the same ES2022 modules, and type checking is CI's job, not the bench's.
 */
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { tempDir } from '../lib/cleanup';

const ROOT = join(__dirname, '..', '..');
const SOURCE = join(ROOT, 'service', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

export interface ServiceBuild {
  /** `node <serverJs>`: the service's production entry. */
  readonly serverJs: string;
  /** `node <bareJs> <BareOptions JSON>`: the bare node:http server, bundled with the service modules it uses. */
  readonly bareJs: string;
}

/**
 * Compiles service/src (or another copy of it: `source`, e.g. an older commit's) to `<tmp>/service/dist`, and the
 * bare server beside it, built the same way.
 */
export function buildService(source = SOURCE): ServiceBuild {
  const dir = tempDir('service');
  const pkg = join(dir, 'service');
  mkdirSync(pkg, { recursive: true });
  // An ES module package like service/, resolving its dependencies from the repository's node_modules.
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ type: 'module' }));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  buildSync({
    entryPoints: sources(source),
    outdir: join(pkg, 'dist'),
    outbase: source,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  // One file with its service modules inlined; packages stay imports, resolved like the service's.
  buildSync({
    entryPoints: [join(__dirname, 'bare-server.ts')],
    outfile: join(pkg, 'dist', 'bare-server.js'),
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  return { serverJs: join(pkg, 'dist', 'server.js'), bareJs: join(pkg, 'dist', 'bare-server.js') };
}
