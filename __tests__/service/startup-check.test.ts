/**
 * The start-up check: one index query; on failure the line the EKS workshop greps for, the likely cause, and a
 * thrown StartupCheckError (server.ts turns it into exit code 1; the process test shows that end to end).
 */
import {
  DynamoDBClient,
  DynamoDBServiceException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DUMMY_CREDENTIALS } from '../../service/src/config.js';
import type { EmbeddedDynamoDb } from '../../service/src/embedded-dynamodb.js';
import { DynamoDbCartRepository } from '../../service/src/repository/dynamodb.js';
import { InMemoryCartRepository } from '../../service/src/repository/in-memory.js';
import { startService } from '../../service/src/start.js';
import { DYNAMODB_ACCESS_ERROR, startupCheck, StartupCheckError } from '../../service/src/startup-check.js';
import { captureLogs } from './helpers/logs.js';
import { appConfig, dynamoDbConfig, startEmulator, uniqueTableName } from './helpers/dynamodb.js';

const onAws = appConfig({
  ...dynamoDbConfig('unused', 'Items'),
  endpoint: undefined,
  credentials: undefined,
  createTable: false,
  region: 'eu-west-1',
});

function failingRepository(error: Error) {
  const documentClient = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'eu-west-1', credentials: DUMMY_CREDENTIALS }),
  );
  (documentClient as unknown as { send: () => Promise<never> }).send = async () => {
    throw error;
  };
  return new DynamoDbCartRepository({ client: documentClient, tableName: 'Items' });
}

describe('diagnosis', () => {
  test.each([
    [
      'AccessDenied',
      new DynamoDBServiceException({
        name: 'AccessDeniedException',
        message:
          'User: arn:aws:sts::123456789012:assumed-role/carts/abc is not authorized to perform: dynamodb:Query',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
      [
        'AccessDenied',
        'IAM policy',
        'EKS Pod Identity association',
        'is not authorized to perform: dynamodb:Query',
      ],
    ],
    [
      'ResourceNotFound',
      new ResourceNotFoundException({
        message: 'Requested resource not found',
        $metadata: { httpStatusCode: 400 },
      }),
      [
        'ResourceNotFound',
        'table Items',
        'does not exist in region eu-west-1',
        'RETAIL_CART_PERSISTENCE_DYNAMODB_TABLE_NAME',
      ],
    ],
    [
      'missing credentials',
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      [
        'no AWS credentials',
        'service account is not associated with an IAM role',
        'Pod Identity association',
      ],
    ],
  ])('%s: logs the workshop line with the cause and throws', async (_name, error, causes) => {
    const logs = captureLogs();
    const failure = await startupCheck(failingRepository(error), onAws, logs.logger).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StartupCheckError);
    const [line] = logs.lines();
    expect(line?.level).toBe('error');
    expect(String(line?.msg)).toContain('An error occurred when accessing Amazon DynamoDB');
    for (const cause of causes) expect(String(line?.msg)).toContain(cause);
    expect((failure as Error).message).toBe(line?.msg);
    // The raw line, as `kubectl logs | grep` sees it.
    expect(logs.text()).toContain(DYNAMODB_ACCESS_ERROR);
  });

  test('in-memory needs no check', async () => {
    const logs = captureLogs();
    await startupCheck(new InMemoryCartRepository(), appConfig({ provider: 'in-memory' }), logs.logger);
    expect(logs.lines()).toEqual([]);
  });
});

describe('against the emulator', () => {
  let emulator: EmbeddedDynamoDb;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  test('a missing table fails the check with ResourceNotFound', async () => {
    const logs = captureLogs();
    const config = appConfig({ ...dynamoDbConfig(emulator.endpoint, 'NoSuchTable'), createTable: false });
    await expect(startService(config, logs.logger)).rejects.toBeInstanceOf(StartupCheckError);
    const line = logs.lines().find((l) => l.level === 'error');
    expect(String(line?.msg)).toMatch(
      /^An error occurred when accessing Amazon DynamoDB: ResourceNotFound: table NoSuchTable .* does not exist at http:\/\/127\.0\.0\.1:\d+/,
    );
  });

  test('create-table mode creates the table, passes the check and serves on 127.0.0.1', async () => {
    const logs = captureLogs();
    const tableName = uniqueTableName('start');
    const running = await startService(appConfig(dynamoDbConfig(emulator.endpoint, tableName)), logs.logger);
    try {
      const base = `http://127.0.0.1:${running.port}`;
      const added = await fetch(`${base}/carts/c1/items`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ itemId: 'a', quantity: 2, unitPrice: 3 }),
      });
      expect(added.status).toBe(201);
      expect(await (await fetch(`${base}/actuator/health/readiness`)).json()).toEqual({ status: 'UP' });
      expect(await (await fetch(`${base}/topology`)).json()).toEqual({
        persistenceProvider: 'dynamodb',
        dynamodbTable: tableName,
        dynamodbEndpoint: emulator.endpoint,
      });
    } finally {
      expect((await running.stop()).outcome).toBe('drained');
    }
    expect(logs.lines().map((l) => l.msg)).toEqual(
      expect.arrayContaining(['table created', 'DynamoDB answers', 'listening']),
    );
  });

  test('an unreachable endpoint in create-table mode is diagnosed too', async () => {
    const logs = captureLogs();
    const stopped = await startEmulator();
    await stopped.stop();
    const config = appConfig({ ...dynamoDbConfig(stopped.endpoint, 'Items', 1) });
    await expect(startService(config, logs.logger)).rejects.toBeInstanceOf(StartupCheckError);
    expect(logs.text()).toContain(`${DYNAMODB_ACCESS_ERROR}: DynamoDB at ${stopped.endpoint} did not answer`);
  });
});
