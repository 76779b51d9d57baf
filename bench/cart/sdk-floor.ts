/**
 * Child process: the floor. The same operations the API performs, made directly with the SDK (the document
 * client built by the service's own factory, so client settings match) at the same concurrency, with no HTTP
 * in front: GET cart = the Query on the customer index (every page), POST item = the atomic UpdateItem ADD.
 * One long-lived process, like the service, so both are equally warm: started with FloorOptions as its JSON
 * argument, it reads one FloorRun per stdin line and answers each with one Sample line on stdout; it exits
 * when stdin closes.
 */
import { createInterface } from 'node:readline';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DUMMY_CREDENTIALS } from '../../service/src/config.js';
import { addItemInput, cartQueryInput } from '../../service/src/repository/dynamodb-commands.js';
import { createDynamoDbClients } from '../../service/src/repository/dynamodb-client.js';
import type { Sample } from './load-result';
import { addItemBody, isPost, roundRobin, type Operation } from './operations';

export interface FloorOptions {
  readonly endpoint: string;
  readonly tableName: string;
  readonly customers: readonly string[];
  readonly connections: number;
}

/** One request: `warmupMs` unrecorded, then `durationMs` measured, of one operation. */
export interface FloorRun {
  readonly operation: Operation;
  readonly warmupMs: number;
  readonly durationMs: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as FloorOptions;
const { client, documentClient } = createDynamoDbClients({
  provider: 'dynamodb',
  tableName: options.tableName,
  endpoint: options.endpoint,
  embedded: false,
  createTable: false,
  region: 'us-west-2',
  credentials: DUMMY_CREDENTIALS,
  maxAttempts: 3,
});
const customer = roundRobin(options.customers);

async function getCart(customerId: string): Promise<void> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand(cartQueryInput(options.tableName, customerId, { startKey })),
    );
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

async function addItem(customerId: string, n: number): Promise<void> {
  await documentClient.send(new UpdateCommand(addItemInput(options.tableName, customerId, addItemBody(n))));
}

/** One connection: requests back to back until `until`; latencies recorded only when `record` is given. */
async function connection(operation: Operation, until: number, record?: number[]): Promise<number> {
  let errors = 0;
  for (let n = 0; performance.now() < until; n++) {
    const started = performance.now();
    try {
      await (isPost(operation, n) ? addItem(customer(), n) : getCart(customer()));
      record?.push(performance.now() - started);
    } catch {
      errors++;
    }
  }
  return errors;
}

async function phase(operation: Operation, ms: number, record?: number[]): Promise<number> {
  const until = performance.now() + ms;
  const errors = await Promise.all(
    Array.from({ length: options.connections }, () => connection(operation, until, record)),
  );
  return errors.reduce((a, b) => a + b, 0);
}

async function measure({ operation, warmupMs, durationMs }: FloorRun): Promise<Sample> {
  await phase(operation, warmupMs);
  const latencies: number[] = [];
  const started = performance.now();
  const cpu = process.cpuUsage();
  const errors = await phase(operation, durationMs, latencies);
  const { user, system } = process.cpuUsage(cpu);
  return {
    // Microseconds are plenty and keep the line short.
    latenciesMs: latencies.map((ms) => Math.round(ms * 1000) / 1000),
    errors,
    elapsedMs: performance.now() - started,
    cpuMs: (user + system) / 1000,
  };
}

// Requests are handled one at a time, in order: the orchestrator waits for each answer.
const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => console.log(JSON.stringify(await measure(JSON.parse(line) as FloorRun))));
});
lines.on('close', () => void queue.then(() => client.destroy()));
