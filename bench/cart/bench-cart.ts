/**
 * The cart service against the embedded emulator: latency and throughput per operation next to the SDK floor,
 * scaling with the table's size and the cart's size, and the service's memory. Separate processes: emulator,
 * service, this one generating HTTP load, and the floor's (which runs while the service is idle).
 * Comparisons alternate their two sides in rounds (A B A B) so that a slow spell on this shared 2-core
 * machine lands on both; each side's figures pool its rounds.
 */
import { join } from 'node:path';
import { delay, run } from '../lib/proc';
import { percentile, ratio } from '../lib/stats';
import { httpLoad } from './http-load';
import { summarize, type LoadResult, type Sample } from './load-result';
import { customerIds, LINES_PER_CART, OPERATIONS, type Operation } from './operations';
import { cpuMs, rssMb, sampleRss, startEmulator, startService } from './processes';
import type { FloorOptions } from './sdk-floor';
import { benchTable, cartItems, seed, TABLE_NAME } from './seed';
import { buildService } from './service-build';

export interface CartSettings {
  readonly connections: number;
  /** Measured time per side of a comparison, split over `rounds`. */
  readonly durationMs: number;
  readonly rounds: number;
  readonly warmupMs: number;
  /** Other customers' lines in the table for the latency runs and the small side of the scaling ratio. */
  readonly smallTableLines: number;
  /** … and for the large side. */
  readonly largeTableLines: number;
}

export interface OperationResult {
  readonly http: LoadResult;
  readonly sdk: LoadResult;
  /** HTTP over SDK: what the service adds (latency ratios above 1, a throughput ratio below 1). */
  readonly overhead: {
    readonly p50: number;
    readonly p99: number;
    readonly rps: number;
    readonly cpu: number;
  };
}

export interface Scaling {
  /** What each side had: lines in the table, or lines in the cart read. */
  readonly from: number;
  readonly to: number;
  readonly small: LoadResult;
  readonly large: LoadResult;
  readonly p50Ratio: number;
  readonly p99Ratio: number;
}

export interface CartResult {
  readonly settings: CartSettings;
  readonly operations: Record<Operation, OperationResult>;
  /** GET cart with few against many other customers' lines in the table (a Query on the index: flat). */
  readonly tableScaling: Scaling & { readonly seedMs: number; readonly seedLinesPerSecond: number };
  /** GET cart of 1 line against 100 lines. */
  readonly cartScaling: Scaling;
  readonly memory: {
    readonly idleMb: number | undefined;
    readonly loadMedianMb: number | undefined;
    readonly loadPeakMb: number | undefined;
  };
}

/** Carts the latency runs read and write: 64 customers, 10 lines each. */
const HOT = customerIds('hot', 64);
const OTHER_CART_LINES = 10;
const ROOT = join(__dirname, '..', '..');

async function sdkFloor(options: FloorOptions): Promise<Sample> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'sdk-floor.ts'), JSON.stringify(options)],
    { timeoutMs: options.warmupMs + options.durationMs + 60_000, cwd: ROOT },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as Sample;
}

const scaling = (from: number, to: number, small: LoadResult, large: LoadResult): Scaling => ({
  from,
  to,
  small,
  large,
  p50Ratio: ratio(large.p50Ms, small.p50Ms),
  p99Ratio: ratio(large.p99Ms, small.p99Ms),
});

export async function benchCart(settings: CartSettings, log: (line: string) => void): Promise<CartResult> {
  const serverJs = buildService();
  const emulator = await startEmulator();
  const clients = await benchTable(emulator.url);
  const others = (from: number, lines: number) =>
    customerIds('other', (from + lines) / OTHER_CART_LINES).slice(from / OTHER_CART_LINES);
  await seed(clients, [
    ...cartItems(HOT, LINES_PER_CART),
    ...cartItems(others(0, settings.smallTableLines), OTHER_CART_LINES),
  ]);
  let tableLines = HOT.length * LINES_PER_CART + settings.smallTableLines;

  const service = await startService(serverJs, emulator.url, TABLE_NAME);
  await delay(1_000);
  const idle = sampleRss(service.proc.pid);
  await delay(1_000);
  const idleMb = percentile(idle(), 50);

  const slice = settings.durationMs / settings.rounds;
  const underLoad: number[] = [];
  /** HTTP load for one slice, sampling the service's RSS meanwhile. */
  const http = async (
    operation: Operation,
    customers: readonly string[],
    durationMs = slice,
  ): Promise<Sample> => {
    const stop = sampleRss(service.proc.pid);
    const cpuBefore = cpuMs(service.proc.pid);
    try {
      const sample = await httpLoad({
        baseUrl: service.url,
        operation,
        customers,
        connections: settings.connections,
        durationMs,
      });
      const cpuAfter = cpuMs(service.proc.pid);
      const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
      return { ...sample, cpuMs: cpu };
    } finally {
      underLoad.push(...stop());
    }
  };
  const floor = (operation: Operation) =>
    sdkFloor({
      endpoint: emulator.url,
      tableName: TABLE_NAME,
      operation,
      customers: HOT,
      connections: settings.connections,
      warmupMs: settings.warmupMs,
      durationMs: slice,
    });
  /** A B A B …: `rounds` slices of each side, pooled per side. */
  const alternate = async (a: () => Promise<Sample>, b: () => Promise<Sample>) => {
    const sides: [Sample[], Sample[]] = [[], []];
    for (let i = 0; i < settings.rounds; i++) {
      sides[0].push(await a());
      sides[1].push(await b());
    }
    return sides;
  };

  const operations = {} as Record<Operation, OperationResult>;
  for (const operation of OPERATIONS) {
    log(`cart: ${operation} over HTTP and with the SDK (${settings.rounds} × ${slice / 1000} s each)`);
    await http(operation, HOT, settings.warmupMs); // the floor process warms up the same way before it measures
    const [httpSamples, sdkSamples] = await alternate(
      () => http(operation, HOT),
      () => floor(operation),
    );
    const viaHttp = summarize(`HTTP ${operation}`, httpSamples);
    const viaSdk = summarize(`SDK ${operation}`, sdkSamples);
    operations[operation] = {
      http: viaHttp,
      sdk: viaSdk,
      overhead: {
        p50: ratio(viaHttp.p50Ms, viaSdk.p50Ms),
        p99: ratio(viaHttp.p99Ms, viaSdk.p99Ms),
        rps: ratio(viaHttp.rps, viaSdk.rps),
        cpu: ratio(viaHttp.cpuMsPerRequest ?? Number.NaN, viaSdk.cpuMsPerRequest ?? Number.NaN),
      },
    };
  }

  // Seeding cannot be undone, so the table sides run one after the other, each for the full duration.
  const added = settings.largeTableLines - settings.smallTableLines;
  log(`cart: GET with ${tableLines} lines in the table, then with ${tableLines + added}`);
  const smallTable = summarize('HTTP get, small table', [await http('get', HOT, settings.durationMs)]);
  const seedMs = await seed(clients, cartItems(others(settings.smallTableLines, added), OTHER_CART_LINES));
  const largeTable = summarize('HTTP get, large table', [await http('get', HOT, settings.durationMs)]);
  tableLines += added;

  log('cart: GET carts of 1 and of 100 lines');
  const ones = customerIds('one-line', 64);
  const hundreds = customerIds('hundred-lines', 16);
  await seed(clients, [...cartItems(ones, 1), ...cartItems(hundreds, 100)]);
  const [one, hundred] = await alternate(
    () => http('get', ones),
    () => http('get', hundreds),
  );

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
      ...scaling(tableLines - added, tableLines, smallTable, largeTable),
      seedMs,
      seedLinesPerSecond: added / (seedMs / 1000),
    },
    cartScaling: scaling(
      1,
      100,
      summarize('HTTP get, 1 line', one),
      summarize('HTTP get, 100 lines', hundred),
    ),
    memory,
  };
}
