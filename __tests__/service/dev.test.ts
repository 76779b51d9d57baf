/**
 * The embedded default of `npm run dev`: dynalite persisting to a folder, so carts survive restarts; the dev
 * entry pointed at an existing DynamoDB Local uses it instead of starting its own; and a second `npm run dev` on a
 * data directory or a port already in use says so and how to fix it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, test } from 'vitest';
import { parseConfig, withEmbeddedEndpoint } from '../../service/src/config.js';
import { startEmbeddedDynamoDb } from '../../service/src/embedded-dynamodb.js';
import { startService } from '../../service/src/start.js';
import { startEmulator } from './helpers/dynamodb.js';
import { captureLogs } from './helpers/logs.js';
import { DEV_ENTRY, killStarted, removeHome, startEntry } from './helpers/process.js';

const DATA = mkdtempSync(join(tmpdir(), 'carts-data-'));
afterEach(killStarted);
afterAll(() => {
  rmSync(DATA, { recursive: true, force: true });
  removeHome();
});

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

test('a second npm run dev on a data directory in use: what, where and how to fix it, no stack trace', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'carts-busy-'));
  const first = await startEmbeddedDynamoDb(dataDir);
  try {
    const second = startEntry(DEV_ENTRY, { PORT: '0', HOST: '127.0.0.1', DEV_DATA_DIR: dataDir });
    expect(await second.exit).toBe(1);
    const fatal = second.lines.find((l) => l.level === 'fatal');
    expect(fatal).toMatchObject({ dataDir });
    expect(fatal?.msg).toBe(
      `The embedded DynamoDB's data directory ${dataDir} is in use by another process, probably another ` +
        '`npm run dev`. Use the one already running (same carts; http://localhost:8080 unless its PORT says ' +
        'otherwise), stop it (Ctrl-C in its terminal) and start again, or run this one on its own data and ' +
        'port: DEV_DATA_DIR=/tmp/carts-2 PORT=8081 npm run dev',
    );
    const output = JSON.stringify(second.lines);
    expect(output).not.toMatch(/\s+at |LEVEL_|LOCK/);
    expect(second.lines.some((l) => l.msg === 'listening')).toBe(false);
  } finally {
    await first.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a port already in use: which port, and PORT to pick another', async () => {
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  const port = (squatter.address() as { port: number }).port;
  try {
    const second = startEntry(DEV_ENTRY, {
      PORT: String(port),
      HOST: '127.0.0.1',
      RETAIL_CART_PERSISTENCE_PROVIDER: 'in-memory',
    });
    expect(await second.exit).toBe(1);
    const fatal = second.lines.find((l) => l.level === 'fatal');
    expect(fatal).toMatchObject({ port, host: '127.0.0.1' });
    expect(String(fatal?.msg)).toBe(
      `Port ${port} is already in use on 127.0.0.1, probably by another cart service (\`npm run dev\` or ` +
        `\`npm start\`). Use that one (http://localhost:${port}), stop it, or start this one on another port: ` +
        `PORT=${port + 1}`,
    );
    expect(JSON.stringify(second.lines)).not.toMatch(/\s+at |EADDRINUSE/);
  } finally {
    squatter.close();
  }
});
