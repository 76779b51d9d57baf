/**
 * `npx tsx bench/cart/profile.ts [seconds] [operation] [bare|traced] [sampler] [rate]`: where the service's CPU goes, next
 * to the bare node:http server's (or the same service's with tracing on, exporting to a receiver that discards,
 * with the given OTEL_TRACES_SAMPLER; PROFILE_DETAIL=<component> lists a component's heaviest functions; PROFILE_KEEP=<dir> keeps both profiles there). Both run compiled under `node --cpu-prof` on one emulator and take the same autocannon load at the
 * same time (default: 10 s of the 80/20 mix, after a warm-up); their profiles' self time is summed per component
 * and divided by the requests served. Profiling slows both alike; the split, not the absolute, is the point.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installCleanupHandlers, runBenchMain, tempDir } from '../lib/cleanup';
import { markdownTable } from '../lib/markdown';
import { OTEL_ENV } from '../../service/src/contract.js';
import { httpLoad } from './http-load';
import { startOtlpSink } from './otlp-sink';
import { customerIds, LINES_PER_CART, OPERATIONS, type Operation } from './operations';
import { cpuMs, startBare, startEmulator, startService, type Running } from './processes';
import { benchTable, cartItems, seed, TABLE_NAME } from './seed';
import { buildService } from './service-build';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly hitCount?: number;
}
interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: number[];
}

/** Components, first match wins; `url` is the script's file URL or a `node:` id. */
const COMPONENTS: readonly [string, RegExp][] = [
  ['AWS SDK (+ smithy)', /node_modules\/(@aws-sdk|@smithy|@aws-crypto|fast-xml-parser|bowser|uuid)\//],
  ['OpenTelemetry', /node_modules\/@opentelemetry\//],
  ['Hono routing + context', /node_modules\/hono\//],
  ['@hono/node-server adapter', /node_modules\/@hono\/node-server\//],
  ['zod validation', /node_modules\/(zod|@hono\/zod-validator)\//],
  [
    'pino logging',
    /node_modules\/(pino|sonic-boom|fast-redact|quick-format-unescaped|atomic-sleep|thread-stream|on-exit-leak-free|safe-stable-stringify)/,
  ],
  ['prom-client metrics', /node_modules\/(prom-client|tdigest|bintrees)\//],
  ['service / bare server code', /\/dist\//],
  ['Node HTTP', /^node:(_http_|http|internal\/http|internal\/streams\/|_stream|stream)/],
  [
    'Node net, timers, async',
    /^node:(net|internal\/(net|stream_base_commons|timers|async_hooks|process\/task_queues|async_local_storage))/,
  ],
  ['Node fetch API (undici Headers, Request, Response)', /^node:internal\/deps\/undici/],
  ['Node URL', /^node:internal\/url/],
  ['Node crypto', /^node:(internal\/)?crypto/],
  ['Node other', /^node:/],
];

function componentOf(node: ProfileNode): string | undefined {
  const { url, functionName } = node.callFrame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)')
    return undefined;
  if (url === '') return 'native / V8 builtins';
  return (
    COMPONENTS.find(([, pattern]) => pattern.test(url))?.[0] ??
    `other: ${url.replace(/^.*node_modules\//, '')}`
  );
}

/** Self time per component in ms, from the sample counts (each sample is one interval). */
function selfTimeMs(profile: CpuProfile): Map<string, number> {
  const intervalMs = (profile.endTime - profile.startTime) / 1000 / profile.samples.length;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  for (const id of profile.samples) {
    const component = componentOf(byId.get(id) as ProfileNode);
    if (component) totals.set(component, (totals.get(component) ?? 0) + intervalMs);
  }
  return totals;
}

/** The heaviest functions of a component (PROFILE_DETAIL=<component prefix>), for digging further. */
function topFunctions(profile: CpuProfile, prefix: string): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map<string, number>();
  for (const id of profile.samples) {
    const node = byId.get(id) as ProfileNode;
    if (!componentOf(node)?.startsWith(prefix)) continue;
    const key = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*node_modules\//, '')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([k, n]) => `${n}\t${k}`);
}

function latestProfile(dir: string): CpuProfile {
  const [file] = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile in ${dir}`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
}

async function main(): Promise<void> {
  installCleanupHandlers();
  const seconds = Number(process.argv[2] ?? 10);
  const operation = (process.argv[3] ?? 'mix') as Operation;
  if (!OPERATIONS.includes(operation)) throw new Error(`operation: one of ${OPERATIONS.join(', ')}`);
  const against = process.argv[4] ?? 'bare';
  if (against !== 'bare' && against !== 'traced') throw new Error('compare against: bare or traced');
  // `always_off` keeps the context propagation and drops the spans: the two costs of tracing apart.
  const sampler = process.argv[5] ?? 'parentbased_always_on';
  // Both at the same open-loop rate, so that neither amortizes per-wake-up costs over more requests.
  const rate = Number(process.argv[6] ?? 150);
  const customers = customerIds('hot', 64);
  const { serverJs, bareJs } = buildService();
  const emulator = await startEmulator();
  const clients = await benchTable(emulator.url);
  await seed(clients, cartItems(customers, LINES_PER_CART));

  const dirs = { service: tempDir('prof-service'), other: tempDir('prof-other') };
  const flags = (dir: string) => ({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  const sink = await startOtlpSink();
  const targets: Record<'service' | 'other', Running> = {
    service: await startService(serverJs, emulator.url, TABLE_NAME, flags(dirs.service)),
    other:
      against === 'bare'
        ? await startBare(
            bareJs,
            { storage: 'dynamodb', endpoint: emulator.url, tableName: TABLE_NAME },
            flags(dirs.other),
          )
        : await startService(serverJs, emulator.url, TABLE_NAME, {
            ...flags(dirs.other),
            env: { [OTEL_ENV.endpoint]: sink.endpoint, [OTEL_ENV.sampler]: sampler },
          }),
  };
  const rows = {
    service: { requests: 0, cpuMs: 0, profile: new Map<string, number>() },
    other: { requests: 0, cpuMs: 0, profile: new Map<string, number>() },
  };
  const names = ['service', 'other'] as const;
  const load = (name: keyof typeof targets, ms: number) =>
    httpLoad({ baseUrl: targets[name].url, operation, customers, connections: 16, durationMs: ms, rate });
  await Promise.all(names.map((name) => load(name, 3_000)));
  // Both at once, so that whatever else this shared machine runs weighs on both alike at every moment.
  const before = names.map((name) => cpuMs(targets[name].proc.pid) ?? 0);
  const samples = await Promise.all(names.map((name) => load(name, seconds * 1000)));
  names.forEach((name, i) => {
    rows[name].requests = samples[i].latenciesMs.length;
    rows[name].cpuMs = (cpuMs(targets[name].proc.pid) ?? 0) - before[i];
  });
  for (const name of names) {
    await targets[name].proc.stop(10_000);
    const profile = latestProfile(dirs[name]);
    const keep = process.env.PROFILE_KEEP;
    if (keep) writeFileSync(join(keep, `${name}.cpuprofile`), JSON.stringify(profile));
    rows[name].profile = selfTimeMs(profile);
    const detail = process.env.PROFILE_DETAIL;
    if (detail) console.log(`${name}, ${detail}:\n${topFunctions(profile, detail).join('\n')}\n`);
  }
  await emulator.proc.stop();
  await sink.close();
  clients.client.destroy();

  // Per request: the profile covers warm-up and start too, so scale its split to the measured CPU time.
  const components = [...new Set(Object.values(rows).flatMap((r) => [...r.profile.keys()]))];
  const perRequest = (name: keyof typeof rows, component: string) => {
    const r = rows[name];
    const profile = r.profile;
    const total = [...profile.values()].reduce((a, b) => a + b, 0);
    return (((profile.get(component) ?? 0) / total) * r.cpuMs) / r.requests;
  };
  const table = components
    .map((c) => [c, perRequest('service', c), perRequest('other', c)] as const)
    .sort((a, b) => Math.abs(b[1] - b[2]) - Math.abs(a[1] - a[2]));
  const perReq = (name: keyof typeof rows) => (rows[name].cpuMs / rows[name].requests).toFixed(3);
  console.log(
    `${operation}, ${seconds} s, both at once at ${rate} req/s, under --cpu-prof: service ${rows.service.requests} requests, ` +
      `${perReq('service')} ms CPU each; ${against} ${rows.other.requests}, ${perReq('other')} ms\n`,
  );
  console.log(
    markdownTable(
      ['component (self time)', 'service µs/req', `${against} µs/req`, 'service − other µs'],
      table.map(([c, s, b]) => [
        c,
        (s * 1000).toFixed(0),
        (b * 1000).toFixed(0),
        ((s - b) * 1000).toFixed(0),
      ]),
    ),
  );
}

runBenchMain(main);
