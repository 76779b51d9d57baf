/**
 * `npx tsx bench/cart/limit.ts [--iterations=5] [--seconds=10] [--rate=150] [--before=<git ref>]
 * [--before-env=NAME=value ...] [--storage=dynamodb|memory] [--core]`: the service's true limit, repeated. Every iteration starts fresh processes and warms
 * them up (JMH's forks: a process keeps its own speed for its whole life, so only new ones average that out); then,
 * per operation, the service and the bare node:http server (bare-server.ts: the same DynamoDB commands, no
 * framework) — and, with `--before`, the service as compiled from that commit — take the same open-loop load at the
 * same time, so whatever else this shared machine runs weighs on all alike; then the SDK floor makes the same calls
 * alone. Before the iterations, each side's CPU with no traffic at all.
 * Prints the median and the min–max of each side's CPU per request and of the per-iteration ratios, and writes
 * bench/results/limit-<timestamp>.json.
 *
 * `--storage=memory` runs both servers on the service's in-memory repository instead (no emulator, no SDK floor):
 * without DynamoDB's client and the emulator's load on the machine, the framework's own cost stands out, to a few
 * µs, where on DynamoDB the run-to-run spread is tens of µs. That is the mode for pricing a change to the
 * service's request path (`--before=<the commit before it>`).
 *
 * `--before-env=NAME=value` (repeatable) sets variables of the `--before` side only, which prices a setting rather
 * than a commit: `--before=HEAD --before-env=LOG_LEVEL=warn` is the current service without its per-request log line.
 *
 * `--core` (DynamoDB only) adds a fourth side: the bare handlers inside the service's own process, over its
 * repository (bare-server.ts, `core`). It splits service − bare in two: core − bare is what the service's process
 * and DynamoDB layer cost (its modules, metrics, instrumented client, repository, start-up check), service − core
 * what its HTTP layer costs (node-server, Hono, validation, access log, HTTP metrics) on the DynamoDB path.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installCleanupHandlers, runBenchMain, tempDir } from '../lib/cleanup';
import { markdownTable } from '../lib/markdown';
import { percentile } from '../lib/stats';
import { startFloor } from './floor';
import { httpLoad } from './http-load';
import { summarize } from './load-result';
import { ENV } from '@cart-platform/service/contract';
import { addItemBody, customerIds, LINES_PER_CART, OPERATIONS, type Operation } from './operations';
import { cpuMs, startBare, startEmulator, startService, type Running } from './processes';
import { benchTable, cartItems, seed, TABLE_NAME } from './seed';
import { buildService } from './service-build';

const ROOT = join(__dirname, '..', '..');
const HOT = customerIds('hot', 64);
const CONNECTIONS = 16;
/** Each fresh process's warm-up: V8 compiles most of the hot path in its first 20 s under this load. */
const WARMUP_SECONDS = 20;
/** Long enough for the 10 ms CPU ticks of /proc to resolve 0.1 ms per second. */
const IDLE_SECONDS = 30;
const LABELS: Record<Operation, string> = {
  get: 'GET cart (10 lines)',
  post: 'POST item',
  mix: '80% GET / 20% POST',
};

type Side = 'service' | 'before' | 'bare' | 'core';

function option(name: string, fallback: string): string {
  const given = process.argv.find((a) => a.startsWith(`--${name}=`));
  return given === undefined ? fallback : given.slice(name.length + 3);
}

/** A positive whole-number option; anything else ends the run with a message naming it (no stack trace). */
function positive(name: string, fallback: number): number {
  const given = option(name, String(fallback));
  const value = Number(given);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name}=${given}: expected a whole number of at least 1`);
    process.exit(2);
  }
  return value;
}

const iterations = positive('iterations', 5);
const seconds = positive('seconds', 10);
const rate = positive('rate', 150);
const before = option('before', '');
const STORAGES = ['dynamodb', 'memory'] as const;
const storage = option('storage', 'dynamodb') as (typeof STORAGES)[number];
if (!STORAGES.includes(storage)) {
  console.error(`--storage=${storage}: expected one of ${STORAGES.join(', ')}`);
  process.exit(2);
}
const beforeEnv = beforeEnvironment();
const core = process.argv.includes('--core');
if (core && storage !== 'dynamodb') {
  console.error(`--core: the service's core is measured on DynamoDB only; leave out --storage=${storage}`);
  process.exit(2);
}

/** The `--before-env=NAME=value` variables; a malformed one, or any without `--before`, ends the run naming it. */
function beforeEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const arg of process.argv.filter((a) => a.startsWith('--before-env='))) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(arg.slice('--before-env='.length));
    if (!match) {
      console.error(`${arg}: expected NAME=value with an upper-case NAME, e.g. --before-env=LOG_LEVEL=warn`);
      process.exit(2);
    }
    env[match[1]] = match[2];
  }
  if (Object.keys(env).length > 0 && !before) {
    console.error(
      '--before-env: sets variables of the --before side; add --before=<git ref> (HEAD prices a setting of the current code)',
    );
    process.exit(2);
  }
  return env;
}

/** service/src as it was at `ref`, compiled like the current one; the path of its server.js. */
function buildAt(ref: string): string {
  const dir = tempDir('before-src');
  const archive = execFileSync('git', ['archive', '--format=tar', ref, 'service/src'], { cwd: ROOT });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  return buildService(join(dir, 'service', 'src')).serverJs;
}

/** Median and range of µs figures, e.g. "1,234 (1,200–1,300)". */
function spread(values: readonly number[], digits = 0, prefix = ''): string {
  const f = (v: number) => `${prefix}${v.toFixed(digits)}`;
  return `${f(percentile(values, 50))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

interface Setup {
  /** Fresh processes for every side, ready to serve (in memory: given the hot carts' lines). */
  startServers(): Promise<Partial<Record<Side, Running>>>;
  /** The SDK floor (DynamoDB only). */
  readonly floor?: ReturnType<typeof startFloor>;
  stop(): Promise<void>;
}

/** dynalite seeded as the bench seeds it, the servers on it, and the SDK floor. */
async function onDynamoDb(serverJs: string, bareJs: string, beforeJs?: string): Promise<Setup> {
  const emulator = await startEmulator();
  const bareOn = (options: { core?: boolean } = {}) =>
    startBare(bareJs, { storage: 'dynamodb', endpoint: emulator.url, tableName: TABLE_NAME, ...options });
  const clients = await benchTable(emulator.url);
  // As the bench: the hot carts and 1,000 other customers' lines.
  await seed(clients, [
    ...cartItems(HOT, LINES_PER_CART),
    ...cartItems(customerIds('other', 100), LINES_PER_CART),
  ]);
  const floor = startFloor({
    endpoint: emulator.url,
    tableName: TABLE_NAME,
    customers: HOT,
    connections: CONNECTIONS,
  });
  return {
    async startServers() {
      const servers: Partial<Record<Side, Running>> = {
        service: await startService(serverJs, emulator.url, TABLE_NAME),
        bare: await bareOn(),
      };
      if (beforeJs)
        servers.before = await startService(beforeJs, emulator.url, TABLE_NAME, { env: beforeEnv });
      if (core) servers.core = await bareOn({ core: true });
      return servers;
    },
    floor,
    stop: () => floor.stop(),
  };
}

/** The servers on in-memory storage, each given the hot carts' lines through its own API. */
function inMemory(serverJs: string, bareJs: string, beforeJs?: string): Setup {
  const memory = { env: { [ENV.provider]: 'in-memory' } };
  return {
    async startServers() {
      const servers: Partial<Record<Side, Running>> = {
        service: await startService(serverJs, '', '', memory),
        bare: await startBare(bareJs, { storage: 'memory' }),
      };
      if (beforeJs)
        servers.before = await startService(beforeJs, '', '', { env: { ...memory.env, ...beforeEnv } });
      for (const server of Object.values(servers)) {
        for (const customerId of HOT) {
          for (let n = 0; n < LINES_PER_CART; n++) {
            const response = await fetch(`${server.url}/carts/${customerId}/items`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(addItemBody(n)),
            });
            if (response.status !== 201) throw new Error(`seeding ${server.url}: HTTP ${response.status}`);
          }
        }
      }
      return servers;
    },
    stop: async () => undefined,
  };
}

async function main(): Promise<void> {
  installCleanupHandlers();
  const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

  const { serverJs, bareJs } = buildService();
  const beforeJs = before ? buildAt(before) : undefined;
  const setup =
    storage === 'memory'
      ? inMemory(serverJs, bareJs, beforeJs)
      : await onDynamoDb(serverJs, bareJs, beforeJs);
  const { floor } = setup;
  let servers = await setup.startServers();
  const sides = Object.keys(servers) as Side[];

  /** All sides at once at `rate` each; CPU µs per request of each. */
  let turn = 0;
  const together = async (operation: Operation, ms: number): Promise<Record<Side, number>> => {
    // Each run starts the sides' load in another order, so that none is always first.
    const order = sides.map((_, i) => sides[(i + turn) % sides.length]);
    turn++;
    const start = order.map((side) => cpuMs((servers[side] as Running).proc.pid) ?? Number.NaN);
    const samples = await Promise.all(
      order.map((side) =>
        httpLoad({
          baseUrl: (servers[side] as Running).url,
          operation,
          customers: HOT,
          connections: CONNECTIONS,
          durationMs: ms,
          rate,
        }),
      ),
    );
    const out = {} as Record<Side, number>;
    order.forEach((side, i) => {
      const used = (cpuMs((servers[side] as Running).proc.pid) ?? Number.NaN) - start[i];
      const { requests } = summarize(`${side} ${operation}`, [{ ...samples[i], cpuMs: used }]);
      out[side] = (used / requests) * 1000;
    });
    return out;
  };

  log(`warm-up: the mix on ${sides.join(', ')}${floor ? ' and the floor' : ''}`);
  await together('mix', WARMUP_SECONDS * 1000);
  await floor?.run({ operation: 'mix', warmupMs: 3_000, durationMs: 0 });

  // What a process costs with no traffic at all (timers, samplers): at `rate` requests a second, every ms of it
  // per second is 1000 / rate µs of each request's CPU.
  log(`idle: ${IDLE_SECONDS} s without traffic`);
  const idleStart = sides.map((side) => cpuMs((servers[side] as Running).proc.pid) ?? Number.NaN);
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const idle = Object.fromEntries(
    sides.map((side, i) => [
      side,
      ((cpuMs((servers[side] as Running).proc.pid) ?? Number.NaN) - idleStart[i]) / IDLE_SECONDS,
    ]),
  ) as Record<Side, number>;

  type Figures = Record<Side | 'floor', number[]>;
  const figures = Object.fromEntries(
    OPERATIONS.map((op): [Operation, Figures] => [
      op,
      { service: [], before: [], bare: [], core: [], floor: [] },
    ]),
  ) as Record<Operation, Figures>;
  for (let i = 1; i <= iterations; i++) {
    // Every iteration on fresh processes, like JMH's forks: a process keeps its own speed for as long as it lives
    // (JIT decisions, memory layout), and two processes of the same code differed by up to 9 % over 9 iterations.
    // Only new processes let the median average that out.
    if (i > 1) {
      await Promise.all(Object.values(servers).map((server) => server.proc.stop(10_000)));
      servers = await setup.startServers();
      log(`iteration ${i}/${iterations}: fresh processes, warm-up: the mix for ${WARMUP_SECONDS} s`);
      await together('mix', WARMUP_SECONDS * 1000);
    }
    for (const operation of OPERATIONS) {
      log(`iteration ${i}/${iterations}: ${operation}, ${seconds} s at ${rate} req/s each`);
      await together(operation, 1_000);
      const cpu = await together(operation, seconds * 1000);
      for (const side of sides) figures[operation][side].push(cpu[side]);
      if (!floor) continue;
      const sdk = await floor.run({ operation, warmupMs: 1_000, durationMs: seconds * 1000 });
      figures[operation].floor.push(((sdk.cpuMs ?? Number.NaN) / sdk.latenciesMs.length) * 1000);
    }
  }
  await setup.stop();

  const ratios = (a: number[], b: number[]) => a.map((v, i) => v / b[i]);
  const minus = (a: number[], b: number[]) => a.map((v, i) => v - b[i]);
  const rows = OPERATIONS.map((op) => {
    const f = figures[op];
    return [
      LABELS[op],
      ...(beforeJs ? [spread(f.before), spread(ratios(f.before, f.bare), 2, '×')] : []),
      spread(f.service),
      spread(f.bare),
      ...(floor ? [spread(f.floor)] : []),
      spread(ratios(f.service, f.bare), 2, '×'),
      spread(minus(f.service, f.bare)),
      ...(beforeJs ? [spread(minus(f.before, f.bare))] : []),
      ...(core ? [spread(f.core), spread(minus(f.core, f.bare)), spread(minus(f.service, f.core))] : []),
      ...(floor ? [spread(ratios(f.service, f.floor), 2, '×')] : []),
    ];
  });
  const beforeLabel = [before, ...Object.entries(beforeEnv).map(([name, value]) => `${name}=${value}`)].join(
    ' ',
  );
  const headers = [
    'operation',
    ...(beforeJs ? [`before (${beforeLabel}) µs/req`, 'before ÷ bare'] : []),
    'service µs/req',
    'bare µs/req',
    ...(floor ? ['SDK floor µs/req'] : []),
    'service ÷ bare',
    'service − bare µs',
    ...(beforeJs ? ['before − bare µs'] : []),
    ...(core ? ['core µs/req', 'core − bare µs', 'service − core µs'] : []),
    ...(floor ? ['service ÷ floor'] : []),
  ];
  console.log(
    `CPU per request on ${storage === 'memory' ? 'in-memory storage' : 'DynamoDB (dynalite)'}, median (min–max) ` +
      `of ${iterations} iterations; ${seconds} s per iteration and operation, ${sides.join(', ')} loaded at once ` +
      `at ${rate} req/s each (${CONNECTIONS} connections)` +
      (floor ? `; the floor alone, closed loop, ${CONNECTIONS} connections.\n` : '.\n'),
  );
  console.log(markdownTable(headers, rows));
  console.log(
    `\nIdle CPU, ms per second (${IDLE_SECONDS} s without traffic): ` +
      sides.map((side) => `${side} ${idle[side].toFixed(2)}`).join(', '),
  );
  const dir = join(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `limit-${storage}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ storage, iterations, seconds, rate, before, beforeEnv, core, idle, figures }, null, 2)}\n`,
  );
  console.log(`\nResults: ${file}`);
}

runBenchMain(main);
