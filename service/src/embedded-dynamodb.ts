// The root (CommonJS) typecheck reaches this file through the tests and needs dynalite's declaration too.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./types/dynalite.d.ts" />
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClassicLevel } from 'classic-level';
import dynalite from 'dynalite';
import { StartError } from './start-errors.js';

export interface EmbeddedDynamoDb {
  readonly endpoint: string;
  /** Closes the server and flushes LevelDB. */
  stop(): Promise<void>;
}

/** Another process holds the data directory's LevelDB lock (typically a second `npm run dev`). */
export class DataDirInUseError extends StartError {
  constructor(readonly dataDir: string) {
    super(
      `The embedded DynamoDB's data directory ${dataDir} is in use by another process, probably another ` +
        '`npm run dev`. Use the one already running (same carts; http://localhost:8080 unless its PORT says ' +
        'otherwise), stop it (Ctrl-C in its terminal) and start again, or run this one on its own data and ' +
        'port: DEV_DATA_DIR=/tmp/carts-2 PORT=8081 npm run dev',
      { dataDir },
    );
    this.name = 'DataDirInUseError';
  }
}

/**
 * A DynamoDB-compatible server in this process (dynalite, a dev dependency) on 127.0.0.1 and a free port.
 * With `dataDir` it persists there (LevelDB); without, it keeps everything in memory.
 * @throws DataDirInUseError when another process has `dataDir` open
 */
export async function startEmbeddedDynamoDb(dataDir?: string): Promise<EmbeddedDynamoDb> {
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    await assertUnlocked(dataDir);
  }
  const server: Server = dynalite({ ...(dataDir ? { path: dataDir } : {}), createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * dynalite opens LevelDB lazily and, when another process holds the lock, crashes on the first request with
 * "Database is not open". Opening (and closing) the directory first turns that into a clear message.
 */
async function assertUnlocked(dataDir: string): Promise<void> {
  const db = new ClassicLevel(dataDir);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') throw new DataDirInUseError(dataDir);
    throw error;
  }
  await db.close();
}
