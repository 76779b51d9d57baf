/** The bench's report: Markdown tables (the same text as the README's Performance section). */
import type { CartResult, Scaling, TracingCost } from './cart/bench-cart';
import type { LoadResult } from './cart/load-result';
import { OPERATIONS } from './cart/operations';
import { count, fixed, markdownTable, times } from './lib/markdown';
import type { RunStats } from './lib/stats';
import { REFERENCE, VARIANT_LABELS, VARIANTS, type SynthResult } from './synth/bench-synth';
import { guardrailsShareSection, type GuardrailsShareResult } from './synth/guardrails-share';
import { instancesSection, type InstancesResult } from './synth/instances';

export interface BenchResult {
  readonly mode: 'full' | 'smoke';
  readonly startedAt: string;
  readonly machine: { readonly node: string; readonly cpus: number; readonly memoryGb: number };
  readonly totalSeconds: number;
  readonly synth?: SynthResult;
  readonly guardrails?: GuardrailsShareResult;
  /** Synth with 1, 10, 50, 100 team instances (`cart.instances`). */
  readonly instances?: InstancesResult;
  readonly cart?: CartResult;
}

const minMedian = (s: RunStats | undefined, scale = 1, digits = 2) =>
  s ? `${fixed(s.min / scale, digits)} / ${fixed(s.median / scale, digits)}` : 'n/a';

function synthSection(synth: SynthResult): string {
  const rows = VARIANTS.map((v) => {
    const r = synth.variants[v];
    const ratios = synth.ratios[v];
    return [
      VARIANT_LABELS[v],
      minMedian(r.wallMs, 1000),
      v === REFERENCE ? '1' : times(ratios.wall),
      minMedian(r.peakRssMb, 1, 0),
      v === REFERENCE ? '1' : times(ratios.rss),
    ];
  });
  const stackRows = synth.stacks.map((s) => [
    `\`${s.id}\``,
    String(s.resources),
    String(s.dataSources),
    s.dependencies.join(', ') || '—',
  ]);
  const total = synth.stacks.reduce((sum, s) => sum + s.resources, 0);
  return [
    `### Synth: the whole \`${synth.environment}\` app (${synth.stacks.length} stacks, ${total} resources), ` +
      `${synth.runs} run${synth.runs === 1 ? '' : 's'} each, interleaved`,
    '',
    markdownTable(
      [
        'how',
        'wall s (min / median)',
        'vs `npm run synth`',
        'peak RSS MB (min / median)',
        'vs `npm run synth`',
      ],
      rows,
    ),
    '',
    'The first three rows are whole commands as typed (npm or the CLI included); the others run one app ' +
      `process. The barrel baseline is the bundle with its ${synth.barrelImportsRewritten} deep ` +
      '`@cdktf/provider-aws/lib/<x>` requires pointed at the package root; all variants write identical ' +
      'Terraform (checked). Peak RSS is the largest single process of the command (`/usr/bin/time`): for ' +
      '`synth:checked` that is tsc, for the CLI the CLI itself or the app it starts.',
    '',
    markdownTable(['stack', 'resources', 'data sources', 'reads outputs of'], stackRows),
  ].join('\n');
}

const latencyCells = (r: LoadResult) => [fixed(r.p50Ms, 2), fixed(r.p99Ms, 2), count(r.rps)];

function cartSection(cart: CartResult): string {
  const s = cart.settings;
  const opNames = { get: 'GET cart (10 lines)', post: 'POST item', mix: '80% GET / 20% POST' };
  const opRows = OPERATIONS.map((op) => [
    opNames[op],
    ...latencyCells(cart.operations[op].http),
    ...latencyCells(cart.operations[op].bare),
    ...latencyCells(cart.operations[op].sdk),
  ]);
  const cpuRows = OPERATIONS.map((op) => {
    const r = cart.operations[op];
    return [
      opNames[op],
      fixed(r.http.cpuMsPerRequest, 3),
      fixed(r.bare.cpuMsPerRequest, 3),
      fixed(r.sdk.cpuMsPerRequest, 3),
      times(r.overBare.cpu),
      times(r.overhead.cpu),
      fixed(r.pairedCpu.aMsPerRequest, 3),
      fixed(r.pairedCpu.bMsPerRequest, 3),
      times(r.pairedCpu.ratio),
    ];
  });
  const t = cart.tableScaling;
  const c = cart.cartScaling;
  const runs = [
    ...OPERATIONS.flatMap((op) => [
      cart.operations[op].http,
      cart.operations[op].bare,
      cart.operations[op].sdk,
    ]),
    cart.tracing.off,
    cart.tracing.on,
    t.small,
    t.large,
    c.small,
    c.large,
  ];
  const errors = runs.reduce((sum, r) => sum + r.errors, 0);
  const scaleRow = (name: string, sc: Scaling) => [
    name,
    `${fixed(sc.small.p50Ms, 2)} → ${fixed(sc.large.p50Ms, 2)}`,
    times(sc.p50Ratio),
    `${fixed(sc.small.p99Ms, 2)} → ${fixed(sc.large.p99Ms, 2)}`,
    times(sc.p99Ratio),
  ];
  const scaleRows = [
    scaleRow(`GET cart, ${count(t.from)} → ${count(t.to)} lines in the table`, t),
    scaleRow(`GET cart, ${c.from} → ${c.to} lines in the cart`, c),
  ];
  const m = cart.memory;
  return [
    `### Cart service on the embedded emulator: ${s.connections} connections, ${s.durationMs / 1000} s per side ` +
      `(${s.rounds === 1 ? 'one run' : `${s.rounds} alternating rounds`}), 127.0.0.1`,
    '',
    markdownTable(
      [
        'operation',
        'service p50 ms',
        'p99 ms',
        'req/s',
        'bare p50 ms',
        'p99 ms',
        'req/s',
        'SDK p50 ms',
        'p99 ms',
        'req/s',
      ],
      opRows,
    ),
    '',
    'Service: autocannon → the service (compiled, logging at info) → dynalite, each in its own process. Bare: the ' +
      'same load on a bare `node:http` server sending the same DynamoDB commands (`dynamodb-commands.ts`) with ' +
      'no framework, validation, logging or metrics. SDK (the floor): the same DynamoDB calls from a plain loop, ' +
      'no HTTP. One side runs at a time, in alternating rounds.',
    '',
    markdownTable(
      [
        'CPU per request',
        'service ms',
        'bare ms',
        'SDK ms',
        'service ÷ bare',
        'service ÷ SDK',
        'paired: service ms',
        'bare ms',
        'service ÷ bare',
      ],
      cpuRows,
    ),
    '',
    `Paired: the service and the bare server at the same time, each at ${s.pairedRate} requests/s (open loop) for ` +
      `${s.durationMs / 1000} s, so that whatever else the machine runs weighs on both alike and both serve the ` +
      'same rate; the steadiest form of the ratio (the goal: service ÷ bare ≤ ×1.15).',
    '',
    tracingSection(cart.tracing),
    '',
    'On two cores the load generator, the service and dynalite compete for CPU, so latency and throughput ' +
      'move with whatever else the machine runs; CPU time per request of the process making the DynamoDB ' +
      'calls (the service with its GC threads, or the floor) is the steadier measure of what the service adds.',
    '',
    markdownTable(['scaling', 'p50 ms', 'p50 ×', 'p99 ms', 'p99 ×'], scaleRows),
    '',
    `The two table sizes are two emulators, each with its own service, alternated like the other comparisons. ` +
      `Seeding the large table's ${count(t.to)} lines (BatchWriteItem, 8 chunks of 25 in flight) took ` +
      `${fixed(t.seedMs / 1000, 1)} s (${count(t.seedLinesPerSecond)} lines/s). Errors across all runs: ${errors}.`,
    '',
    `Service memory (RSS): ${fixed(m.idleMb, 0)} MB idle, ${fixed(m.loadMedianMb, 0)} MB median and ` +
      `${fixed(m.loadPeakMb, 0)} MB peak under load.`,
  ].join('\n');
}

function tracingSection(t: TracingCost): string {
  return [
    markdownTable(
      ['80% GET / 20% POST', 'p50 ms', 'p99 ms', 'req/s', 'CPU ms/req'],
      [
        ['tracing off', ...latencyCells(t.off), fixed(t.off.cpuMsPerRequest, 3)],
        ['tracing on (OTLP export)', ...latencyCells(t.on), fixed(t.on.cpuMsPerRequest, 3)],
        ['on ÷ off', times(t.ratios.p50), times(t.ratios.p99), times(t.ratios.rps), times(t.ratios.cpu)],
        [
          'paired: on ÷ off',
          '',
          '',
          '',
          `${fixed(t.pairedCpu.aMsPerRequest, 3)} ÷ ${fixed(t.pairedCpu.bMsPerRequest, 3)} = ${times(t.pairedCpu.ratio)}`,
        ],
      ],
    ),
    '',
    'Tracing on: the same build with `OTEL_EXPORTER_OTLP_ENDPOINT` set — a server span per request and a client ' +
      'span per DynamoDB call, every one sampled (`parentbased_always_on`), trace ids in every log line, the ' +
      'real BatchSpanProcessor and OTLP/protobuf exporter posting to a receiver in the bench process that ' +
      `discards them (${count(t.exports.posts)} exports, ${fixed(t.exports.bytes / 2 ** 20, 1)} MiB).`,
  ].join('\n');
}

export function renderReport(result: BenchResult): string {
  const m = result.machine;
  const parts = [
    `Bench (${result.mode}${result.mode === 'smoke' ? ': one iteration, short runs, smaller table' : ''}) ` +
      `on Node ${m.node}, ${m.cpus} CPUs, ${m.memoryGb} GB, ${result.startedAt}; took ${fixed(result.totalSeconds, 0)} s.`,
  ];
  if (result.synth) parts.push(synthSection(result.synth));
  if (result.guardrails) parts.push(guardrailsShareSection(result.guardrails));
  if (result.instances) parts.push(instancesSection(result.instances));
  if (result.cart) parts.push(cartSection(result.cart));
  return parts.join('\n\n');
}
