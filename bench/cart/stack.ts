/** One emulator, its seeded table and a service on it: what the cart scenarios load. */
import type { DynamoDbClients } from '../../service/src/repository/dynamodb-client.js';
import { httpLoad } from './http-load';
import type { Sample } from './load-result';
import type { Operation } from './operations';
import { cpuMs, sampleRss, startEmulator, startService, type Running } from './processes';
import { benchTable, seed, TABLE_NAME } from './seed';

export interface Stack {
  readonly emulator: Running;
  readonly service: Running;
  readonly clients: DynamoDbClients;
  /** Lines in the table, and how long seeding them took. */
  lines: number;
  readonly seedMs: number;
  /** The service's RSS, sampled during every `http` run. */
  readonly rssUnderLoad: number[];
  /** HTTP load on the service, with the CPU time the service spent meanwhile. */
  http(operation: Operation, customers: readonly string[], durationMs: number): Promise<Sample>;
  /**
   * The same load on another server of this emulator (the bare server, the traced service), its CPU time; at a
   * fixed rate (requests/s) when given.
   */
  httpOn(
    target: Running,
    operation: Operation,
    customers: readonly string[],
    durationMs: number,
    rate?: number,
  ): Promise<Sample>;
  /** Writes more lines into the table. */
  add(items: readonly Record<string, unknown>[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(
  serverJs: string,
  items: readonly Record<string, unknown>[],
  connections: number,
): Promise<Stack> {
  const emulator = await startEmulator();
  const clients = await benchTable(emulator.url);
  const seedMs = await seed(clients, items);
  const service = await startService(serverJs, emulator.url, TABLE_NAME);
  const pid = service.proc.pid;
  const rssUnderLoad: number[] = [];
  const load = async (
    target: Running,
    operation: Operation,
    customers: readonly string[],
    durationMs: number,
    rate?: number,
  ): Promise<Sample> => {
    const before = cpuMs(target.proc.pid);
    const sample = await httpLoad({
      baseUrl: target.url,
      operation,
      customers,
      connections,
      durationMs,
      rate,
    });
    const after = cpuMs(target.proc.pid);
    return { ...sample, cpuMs: before === undefined || after === undefined ? undefined : after - before };
  };
  const stack: Stack = {
    emulator,
    service,
    clients,
    lines: items.length,
    seedMs,
    rssUnderLoad,
    async http(operation, customers, durationMs) {
      const stopSampling = sampleRss(pid);
      try {
        return await load(service, operation, customers, durationMs);
      } finally {
        rssUnderLoad.push(...stopSampling());
      }
    },
    httpOn: load,
    async add(more) {
      await seed(clients, more);
      stack.lines += more.length;
    },
    async stop() {
      clients.client.destroy();
      await service.proc.stop();
      await emulator.proc.stop();
    },
  };
  return stack;
}
