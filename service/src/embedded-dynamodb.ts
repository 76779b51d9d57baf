// The root (CommonJS) typecheck reaches this file through the tests and needs dynalite's declaration too.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./types/dynalite.d.ts" />
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface EmbeddedDynamoDb {
  readonly endpoint: string;
  /** Closes the server and flushes LevelDB. */
  stop(): Promise<void>;
}

/**
 * A DynamoDB-compatible server in this process (dynalite, a dev dependency) on 127.0.0.1 and a free port.
 * With `dataDir` it persists there (LevelDB); without, it keeps everything in memory.
 */
export async function startEmbeddedDynamoDb(dataDir?: string): Promise<EmbeddedDynamoDb> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
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
