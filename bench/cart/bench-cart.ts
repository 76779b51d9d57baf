/**
 * The cart service against the embedded emulator: latency, throughput and CPU per request per operation next to
 * a bare node:http server sending the same DynamoDB commands and to the SDK floor; the cost of tracing (the same
 * service with OTLP export on); scaling with the table's size and the cart's size; the service's memory.
 * Separate processes: emulator, service, bare server, traced service, the floor's, and this one generating HTTP
 * load (and receiving the traced service's spans); only one of them is loaded at a time. For the table-size
 * comparison a second emulator and service hold the large table.
 * Comparisons alternate their two sides in rounds (A B A B) so that a slow spell on this shared 2-core
 * machine lands on both; each side's figures pool its rounds.
 */
import { OTEL_ENV } from '../../service/src/contract.js';
import { delay } from '../lib/proc';
import { percentile, ratio } from '../lib/stats';
import { summarize, type LoadResult, type Sample } from './load-result';
import { customerIds, LINES_PER_CART, OPERATIONS, type Operation } from './operations';
import { startFloor } from './floor';
import { startOtlpSink } from './otlp-sink';
import { rssMb, sampleRss, startBare, startService, type Running } from './processes';
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
  /** Requests/s each server of a paired comparison receives: the same open-loop rate for both, below capacity. */
  readonly pairedRate: number;
  /** Other customers' lines in the table for the latency runs and the small side of the scaling ratio. */
  readonly smallTableLines: number;
  /** … and for the large side. */
  readonly largeTableLines: number;
}

/** One side over another: latency ratios above 1 and a throughput ratio below 1 mean the first costs more. */
export interface Ratios {
  readonly p50: number;
  readonly p99: number;
  readonly rps: number;
  readonly cpu: number;
}

export interface OperationResult {
  /** The service. */
  readonly http: LoadResult;
  /** The bare node:http server: the same DynamoDB commands, no framework. */
  readonly bare: LoadResult;
  /** The same DynamoDB calls from a plain loop, no HTTP. */
  readonly sdk: LoadResult;
  /** Service over SDK: what the service adds over the calls it must make. */
  readonly overhead: Ratios;
  /** Service over bare server: what Hono, validation, logging and metrics add over HTTP itself. */
  readonly overBare: Ratios;
  /** CPU per request of the service and the bare server loaded at the same time, and service ÷ bare. */
  readonly pairedCpu: PairedCpu;
}

/**
 * Two servers under the same load at the same time, at the same fixed rate: whatever else this shared machine
 * runs weighs on both alike at every moment, and neither amortizes its per-wake-up costs over more requests
 * because it happens to be faster. The CPU ratio holds still where one-after-the-other rounds drift by ±20 %.
 */
export interface PairedCpu {
  readonly aMsPerRequest: number;
  readonly bMsPerRequest: number;
  /** a ÷ b. */
  readonly ratio: number;
}

/** The service with tracing off and on (OTLP to a receiver that discards), alternated on the same mix. */
export interface TracingCost {
  readonly off: LoadResult;
  readonly on: LoadResult;
  /** On over off. */
  readonly ratios: Ratios;
  /** Tracing on (a) and off (b) loaded at the same time. */
  readonly pairedCpu: PairedCpu;
  /** What the traced service exported meanwhile (warm-up included). */
  readonly exports: { readonly posts: number; readonly bytes: number };
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
  readonly tracing: TracingCost;
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

const ratiosOf = (a: LoadResult, b: LoadResult): Ratios => ({
  p50: ratio(a.p50Ms, b.p50Ms),
  p99: ratio(a.p99Ms, b.p99Ms),
  rps: ratio(a.rps, b.rps),
  cpu: ratio(a.cpuMsPerRequest ?? Number.NaN, b.cpuMsPerRequest ?? Number.NaN),
});

const scaling = (from: number, to: number, small: LoadResult, large: LoadResult): Scaling => ({
  from,
  to,
  small,
  large,
  p50Ratio: ratio(large.p50Ms, small.p50Ms),
  p99Ratio: ratio(large.p99Ms, small.p99Ms),
});

export async function benchCart(settings: CartSettings, log: (line: string) => void): Promise<CartResult> {
  const { serverJs, bareJs } = buildService();
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

  const bare = await startBare(bareJs, {
    storage: 'dynamodb',
    endpoint: main.emulator.url,
    tableName: TABLE_NAME,
  });
  const sink = await startOtlpSink();
  const traced = await startService(serverJs, main.emulator.url, TABLE_NAME, {
    env: { [OTEL_ENV.endpoint]: sink.endpoint, [OTEL_ENV.serviceName]: 'carts-bench' },
  });

  const slice = settings.durationMs / settings.rounds;
  const http = (operation: Operation, customers: readonly string[], durationMs = slice) =>
    main.http(operation, customers, durationMs);
  const viaBare = (operation: Operation, durationMs = slice) => main.httpOn(bare, operation, HOT, durationMs);
  const floorProcess = startFloor({
    endpoint: main.emulator.url,
    tableName: TABLE_NAME,
    customers: HOT,
    connections: settings.connections,
  });
  /** The floor's warm-up before its first slice of an operation, as the HTTP side gets one. */
  const floor = (operation: Operation, round: number) =>
    floorProcess.run({ operation, warmupMs: round === 0 ? settings.warmupMs : 0, durationMs: slice });
  const paired = async (a: Running, b: Running, operation: Operation): Promise<PairedCpu> => {
    const [sa, sb] = await Promise.all([
      main.httpOn(a, operation, HOT, settings.durationMs, settings.pairedRate),
      main.httpOn(b, operation, HOT, settings.durationMs, settings.pairedRate),
    ]);
    const [ra, rb] = [summarize(`paired ${operation} a`, [sa]), summarize(`paired ${operation} b`, [sb])];
    const [aMs, bMs] = [ra.cpuMsPerRequest ?? Number.NaN, rb.cpuMsPerRequest ?? Number.NaN];
    return { aMsPerRequest: aMs, bMsPerRequest: bMs, ratio: ratio(aMs, bMs) };
  };
  /** A B (C) A B (C) …: `rounds` slices of each side, pooled per side. */
  const alternate = async (...sides: ((round: number) => Promise<Sample>)[]) => {
    const samples = sides.map((): Sample[] => []);
    for (let round = 0; round < settings.rounds; round++) {
      for (const [i, side] of sides.entries()) samples[i].push(await side(round));
    }
    return samples;
  };

  // Every side long-lived and equally warm before anything counts: a cold V8 costs twice the CPU per request.
  await http('mix', HOT, settings.initialWarmupMs);
  await viaBare('mix', settings.initialWarmupMs);
  await main.httpOn(traced, 'mix', HOT, settings.initialWarmupMs);
  await floorProcess.run({ operation: 'mix', warmupMs: settings.initialWarmupMs, durationMs: 0 });

  const operations = {} as Record<Operation, OperationResult>;
  for (const operation of OPERATIONS) {
    log(
      `cart: ${operation} via the service, the bare server and the SDK (${settings.rounds} × ${slice / 1000} s each)`,
    );
    // The floor warms up as long before its first slice.
    await http(operation, HOT, settings.warmupMs);
    await viaBare(operation, settings.warmupMs);
    const [httpSamples, bareSamples, sdkSamples] = await alternate(
      () => http(operation, HOT),
      () => viaBare(operation),
      (round) => floor(operation, round),
    );
    const viaHttp = summarize(`HTTP ${operation}`, httpSamples);
    const viaBareServer = summarize(`bare ${operation}`, bareSamples);
    const viaSdk = summarize(`SDK ${operation}`, sdkSamples);
    operations[operation] = {
      http: viaHttp,
      bare: viaBareServer,
      sdk: viaSdk,
      overhead: ratiosOf(viaHttp, viaSdk),
      overBare: ratiosOf(viaHttp, viaBareServer),
      pairedCpu: await paired(main.service, bare, operation),
    };
  }
  await floorProcess.stop();
  await bare.proc.stop();

  log(`cart: mix with tracing off and on (${settings.rounds} × ${slice / 1000} s each)`);
  await http('mix', HOT, settings.warmupMs);
  await main.httpOn(traced, 'mix', HOT, settings.warmupMs);
  const [offSamples, onSamples] = await alternate(
    () => http('mix', HOT),
    () => main.httpOn(traced, 'mix', HOT, slice),
  );
  const tracingPaired = await paired(traced, main.service, 'mix');
  await traced.proc.stop();
  await sink.close();
  const tracingOff = summarize('mix, tracing off', offSamples);
  const tracingOn = summarize('mix, tracing on', onSamples);
  const tracing: TracingCost = {
    off: tracingOff,
    on: tracingOn,
    ratios: ratiosOf(tracingOn, tracingOff),
    pairedCpu: tracingPaired,
    exports: { ...sink.received },
  };

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
    tracing,
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
