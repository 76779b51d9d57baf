/**
 * The cart service against the embedded emulator: latency and throughput per operation next to the SDK floor,
 * scaling with the table's size and the cart's size, and the service's memory. Three processes: emulator,
 * service, and this one generating HTTP load (the floor runs in a fourth, in the service's place).
 */
import { join } from 'node:path';
import { delay, run } from '../lib/proc';
import { percentile, ratio } from '../lib/stats';
import { httpLoad, type LoadResult } from './http-load';
import { customerIds, LINES_PER_CART, OPERATIONS, type Operation } from './operations';
import { rssMb, sampleRss, startEmulator, startService } from './processes';
import { benchTable, cartItems, seed, TABLE_NAME } from './seed';
import { buildService } from './service-build';
import type { FloorOptions } from './sdk-floor';

export interface CartSettings {
  readonly connections: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Other customers' lines in the table for the latency runs and the small side of the scaling ratio. */
  readonly smallTableLines: number;
  /** … and for the large side. */
  readonly largeTableLines: number;
}

export interface OperationResult {
  readonly http: LoadResult;
  readonly sdk: LoadResult;
  /** HTTP over SDK: how much the service adds (latency ratios > 1, throughput ratio < 1). */
  readonly overhead: { readonly p50: number; readonly p99: number; readonly rps: number };
}

export interface Side {
  readonly tableLines: number;
  readonly result: LoadResult;
}

export interface CartResult {
  readonly settings: CartSettings;
  readonly operations: Record<Operation, OperationResult>;
  readonly tableScaling: {
    readonly small: Side;
    readonly large: Side;
    readonly seedMs: number;
    readonly seedLinesPerSecond: number;
    readonly p50Ratio: number;
    readonly p99Ratio: number;
  };
  readonly cartScaling: {
    readonly one: LoadResult;
    readonly hundred: LoadResult;
    readonly p50Ratio: number;
    readonly p99Ratio: number;
  };
  readonly memory: {
    readonly idleMb: number | undefined;
    readonly loadMedianMb: number | undefined;
    readonly loadPeakMb: number | undefined;
  };
}

/** Carts the latency runs read and write: 64 customers, 10 lines each. */
const HOT = customerIds('hot', 64);
const OTHER_CART_LINES = 10;

async function sdkFloor(options: FloorOptions): Promise<LoadResult> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'sdk-floor.ts'), JSON.stringify(options)],
    { timeoutMs: options.warmupMs + options.durationMs + 60_000, cwd: join(__dirname, '..', '..') },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as LoadResult;
}

export async function benchCart(settings: CartSettings, log: (line: string) => void): Promise<CartResult> {
  const serverJs = buildService();
  const emulator = await startEmulator();
  const clients = await benchTable(emulator.url);
  let tableLines = HOT.length * LINES_PER_CART + settings.smallTableLines;
  const others = (from: number, lines: number) =>
    customerIds('other', (from + lines) / OTHER_CART_LINES).slice(from / OTHER_CART_LINES);
  await seed(clients, [
    ...cartItems(HOT, LINES_PER_CART),
    ...cartItems(others(0, settings.smallTableLines), OTHER_CART_LINES),
  ]);

  const service = await startService(serverJs, emulator.url, TABLE_NAME);
  await delay(1_000);
  const idle = sampleRss(service.proc.pid);
  await delay(1_000);
  const idleMb = percentile(idle(), 50);

  const load = { connections: settings.connections, durationMs: settings.durationMs };
  const http = (operation: Operation, customers: readonly string[], durationMs = settings.durationMs) =>
    httpLoad({ ...load, durationMs, baseUrl: service.url, operation, customers });
  const floor = (operation: Operation) =>
    sdkFloor({
      ...load,
      endpoint: emulator.url,
      tableName: TABLE_NAME,
      operation,
      customers: HOT,
      warmupMs: settings.warmupMs,
    });

  const underLoad: number[] = [];
  const sampled = async (operation: Operation, customers: readonly string[]) => {
    const stop = sampleRss(service.proc.pid);
    try {
      return await http(operation, customers);
    } finally {
      underLoad.push(...stop());
    }
  };

  const operations = {} as Record<Operation, OperationResult>;
  for (const operation of OPERATIONS) {
    log(`cart: ${operation} over HTTP and with the SDK (${settings.durationMs / 1000} s each)`);
    await http(operation, HOT, settings.warmupMs); // warm-up, as the floor warms up before it measures
    const viaHttp = await sampled(operation, HOT);
    const viaSdk = await floor(operation);
    operations[operation] = {
      http: viaHttp,
      sdk: viaSdk,
      overhead: {
        p50: ratio(viaHttp.p50Ms, viaSdk.p50Ms),
        p99: ratio(viaHttp.p99Ms, viaSdk.p99Ms),
        rps: ratio(viaHttp.rps, viaSdk.rps),
      },
    };
  }

  log(
    `cart: GET with ${tableLines} lines in the table, then seeding to ${tableLines - settings.smallTableLines + settings.largeTableLines}`,
  );
  const small: Side = { tableLines, result: await sampled('get', HOT) };
  const added = settings.largeTableLines - settings.smallTableLines;
  const seedMs = await seed(clients, cartItems(others(settings.smallTableLines, added), OTHER_CART_LINES));
  tableLines += added;
  const large: Side = { tableLines, result: await sampled('get', HOT) };

  log('cart: GET carts of 1 and of 100 lines');
  const ones = customerIds('one-line', 64);
  const hundreds = customerIds('hundred-lines', 16);
  await seed(clients, [...cartItems(ones, 1), ...cartItems(hundreds, 100)]);
  const one = await sampled('get', ones);
  const hundred = await sampled('get', hundreds);

  const memory = {
    idleMb,
    loadMedianMb: underLoad.length > 0 ? percentile(underLoad, 50) : undefined,
    loadPeakMb: underLoad.length > 0 ? Math.max(...underLoad) : rssMb(service.proc.pid),
  };
  clients.client.destroy();
  await service.proc.stop();
  await emulator.proc.stop();
  return {
    settings,
    operations,
    tableScaling: {
      small,
      large,
      seedMs,
      seedLinesPerSecond: added / (seedMs / 1000),
      p50Ratio: ratio(large.result.p50Ms, small.result.p50Ms),
      p99Ratio: ratio(large.result.p99Ms, small.result.p99Ms),
    },
    cartScaling: {
      one,
      hundred,
      p50Ratio: ratio(hundred.p50Ms, one.p50Ms),
      p99Ratio: ratio(hundred.p99Ms, one.p99Ms),
    },
    memory,
  };
}
