/**
 * Everything the bench leaves behind (child process groups, temp dirs) is registered here and undone on every
 * way out: normal end, a thrown error, Ctrl-C, SIGTERM from CI's timeout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Undo = () => void;
const undos = new Map<number, Undo>();
let nextId = 0;

/** Registers an undo step; returns a function that runs it now (once) and forgets it. */
export function onCleanup(undo: Undo): () => void {
  const id = nextId++;
  undos.set(id, undo);
  return () => {
    if (!undos.delete(id)) return;
    undo();
  };
}

/** A fresh temp dir under the OS temp dir, removed at cleanup. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cart-bench-${prefix}-`));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs every pending undo step, newest first (processes stop before their dirs go). Synchronous on purpose. */
export function cleanupAll(): void {
  for (const [id, undo] of [...undos].reverse()) {
    undos.delete(id);
    try {
      undo();
    } catch {
      // Best effort: one failed step must not keep the others from running.
    }
  }
}

/** Installs the handlers once: signals clean up and exit with the conventional 128 + signal code. */
export function installCleanupHandlers(): void {
  process.on('exit', cleanupAll);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      cleanupAll();
      process.exit(code);
    });
  }
}

/**
 * Runs a bench entry point: an error is printed and sets exit code 1; either way every undo step runs and the process
 * exits (nothing may keep a bench alive once it is done).
 */
export function runBenchMain(main: () => Promise<void>): void {
  main()
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => {
      cleanupAll();
      process.exit();
    });
}
