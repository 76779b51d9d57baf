/**
 * The embedded default of `npm run dev`: dynalite persisting to a folder, so carts survive restarts; and the
 * dev entry pointed at an existing DynamoDB Local uses it instead of starting its own.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { parseConfig, withEmbeddedEndpoint } from '../../service/src/config.js';
import { startEmbeddedDynamoDb } from '../../service/src/embedded-dynamodb.js';
import { startService } from '../../service/src/start.js';
import { startEmulator } from './helpers/dynamodb.js';
import { captureLogs } from './helpers/logs.js';

const DATA = mkdtempSync(join(tmpdir(), 'carts-data-'));
afterAll(() => rmSync(DATA, { recursive: true, force: true }));

async function devService(dataDir: string) {
  const logs = captureLogs();
  const embedded = await startEmbeddedDynamoDb(dataDir);
  const config = withEmbeddedEndpoint(
    parseConfig({ PORT: '0', HOST: '127.0.0.1' }, { mode: 'dev' }),
    embedded.endpoint,
  );
  const running = await startService(config, logs.logger);
  return {
    logs,
    base: `http://127.0.0.1:${running.port}`,
    stop: async () => {
      await running.stop();
      await embedded.stop();
    },
  };
}

test('carts survive a restart of the embedded store', async () => {
  const first = await devService(DATA);
  const added = await fetch(`${first.base}/carts/c1/items`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ itemId: 'kept', quantity: 3, unitPrice: 42 }),
  });
  expect(added.status).toBe(201);
  await first.stop();
  expect(first.logs.lines().some((l) => l.msg === 'table created')).toBe(true);

  const second = await devService(DATA);
  try {
    expect(await (await fetch(`${second.base}/carts/c1`)).json()).toEqual({
      customerId: 'c1',
      items: [{ itemId: 'kept', quantity: 3, unitPrice: 42 }],
    });
    expect(second.logs.lines().some((l) => l.msg === 'table existed')).toBe(true);
  } finally {
    await second.stop();
  }
});

test('with an endpoint in the environment, the dev entry uses it and embeds nothing', async () => {
  const local = await startEmulator();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(process.cwd(), 'service', 'src', 'dev.ts')],
    {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        RETAIL_CART_PERSISTENCE_DYNAMODB_ENDPOINT: local.endpoint,
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  try {
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dev entry did not start: ${out}`)), 15_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /"port":(\d+).*"msg":"listening"/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
    });
    expect(await (await fetch(`http://127.0.0.1:${port}/topology`)).json()).toEqual({
      persistenceProvider: 'dynamodb',
      dynamodbTable: 'Items',
      dynamodbEndpoint: local.endpoint,
    });
    expect(out).toContain('"msg":"table created"');
    expect(out).not.toContain('embedded DynamoDB');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await local.stop();
  }
});
