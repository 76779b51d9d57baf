/**
 * The cart service against the embedded emulator: latency and throughput per operation next to the SDK floor,
 * scaling with the table's size and the cart's size, and the service's memory. Separate processes: emulator,
 * service, this one generating HTTP load, and the floor's (which runs while the service is idle); for the
 * table-size comparison a second emulator and service hold the large table.
 * Comparisons alternate their two sides in rounds (A B A B) so that a slow spell on this shared 2-core
 * machine lands on both; each side's figures pool its rounds.
 */
import { delay } from '../lib/proc';
import { percentile, ratio } from '../lib/stats';
import { summarize, type LoadResult, type Sample } from './load-result';
import { customerIds, LINES_PER_CART, OPERATIONS, type Operation } from './operations';
import { startFloor } from './floor';
import { rssMb, sampleRss } from './processes';
import { cartItems, TABLE_NAME } from './seed';
import { buildService } from './service-build';
import { startStack } from './stack';

export interface CartSettings {
  readonly connections: number;
  /** Measured time per side of a comparison, split over `rounds`. */
  readonly durationMs: number;
  readonly rounds: number;
  /** Once, before anything is measured: both the service and the floor run the mix this long (JIT, pools). */
  readonly initialWarmupMs: number;
  /** Before each operation's comparison, on each side. */
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
  const hot = cartItems(HOT, LINES_PER_CART);
  const others = (lines: number) =>
    cartItems(customerIds('other', lines / OTHER_CART_LINES), OTHER_CART_LINES);
  const main = await startStack(
    serverJs,
    [...hot, ...others(settings.smallTableLines)],
    settings.connections,
  );
  const pid = main.service.proc.pid;
  await delay(1_000);
  const idle = sampleRss(pid);
  await delay(1_000);
  const idleMb = percentile(idle(), 50);

  const slice = settings.durationMs / settings.rounds;
  const http = (operation: Operation, customers: readonly string[], durationMs = slice) =>
    main.http(operation, customers, durationMs);
  const floorProcess = startFloor({
    endpoint: main.emulator.url,
    tableName: TABLE_NAME,
    customers: HOT,
    connections: settings.connections,
  });
  /** The floor's warm-up before its first slice of an operation, as the HTTP side gets one. */
  const floor = (operation: Operation, round: number) =>
    floorProcess.run({ operation, warmupMs: round === 0 ? settings.warmupMs : 0, durationMs: slice });
  /** A B A B …: `rounds` slices of each side, pooled per side. */
  const alternate = async (a: (round: number) => Promise<Sample>, b: (round: number) => Promise<Sample>) => {
    const sides: [Sample[], Sample[]] = [[], []];
    for (let round = 0; round < settings.rounds; round++) {
      sides[0].push(await a(round));
      sides[1].push(await b(round));
    }
    return sides;
  };

  // Both sides long-lived and equally warm before anything counts: a cold V8 costs twice the CPU per request.
  await http('mix', HOT, settings.initialWarmupMs);
  await floorProcess.run({ operation: 'mix', warmupMs: settings.initialWarmupMs, durationMs: 0 });

  const operations = {} as Record<Operation, OperationResult>;
  for (const operation of OPERATIONS) {
    log(`cart: ${operation} over HTTP and with the SDK (${settings.rounds} × ${slice / 1000} s each)`);
    await http(operation, HOT, settings.warmupMs); // the floor warms up as long before its first slice
    const [httpSamples, sdkSamples] = await alternate(
      () => http(operation, HOT),
      (round) => floor(operation, round),
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
  await floorProcess.stop();

  // A second emulator and service with the large table, so the two sizes can alternate like every other
  // comparison (seeding cannot be undone). Both warmed the same way first.
  log(`cart: seeding a second table with ${hot.length + settings.largeTableLines} lines`);
  const large = await startStack(
    serverJs,
    [...hot, ...others(settings.largeTableLines)],
    settings.connections,
  );
  log(`cart: GET with ${main.lines} against ${large.lines} lines in the table`);
  await large.http('mix', HOT, settings.initialWarmupMs);
  await large.http('get', HOT, settings.warmupMs);
  await http('get', HOT, settings.warmupMs);
  const [smallTable, largeTable] = await alternate(
    () => http('get', HOT),
    () => large.http('get', HOT, slice),
  );
  await large.stop();
  const smallLines = main.lines;

  log('cart: GET carts of 1 and of 100 lines');
  const ones = customerIds('one-line', 64);
  const hundreds = customerIds('hundred-lines', 16);
  await main.add([...cartItems(ones, 1), ...cartItems(hundreds, 100)]);
  const [one, hundred] = await alternate(
    () => http('get', ones),
    () => http('get', hundreds),
  );

  const underLoad = main.rssUnderLoad;
  const memory = {
    idleMb,
    loadMedianMb: underLoad.length > 0 ? percentile(underLoad, 50) : undefined,
    loadPeakMb: underLoad.length > 0 ? Math.max(...underLoad) : rssMb(pid),
  };
  await main.stop();
  return {
    settings,
    operations,
    tableScaling: {
      ...scaling(
        smallLines,
        large.lines,
        summarize('HTTP get, small table', smallTable),
        summarize('HTTP get, large table', largeTable),
      ),
      seedMs: large.seedMs,
      seedLinesPerSecond: large.lines / (large.seedMs / 1000),
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
