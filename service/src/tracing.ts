/**
 * OpenTelemetry tracing, built only when the configuration has an OTLP endpoint (see config.ts): without one the
 * service creates no tracer provider, no span processor, no exporter and no context manager, installs no tracing
 * middleware and no log mixin, so tracing off costs nothing.
 *
 * No global tracer provider or propagator is registered: the tracer is passed to the HTTP middleware and the
 * DynamoDB client explicitly. Only the context manager is global (the API has no other way to carry the active
 * span across `await`), and the diagnostic logger, so that a receiver refusing spans shows up in the logs.
 */
import { context, diag, DiagLogLevel, type DiagLogger, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { SDK_INFO } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { SamplerName, TracingConfig } from './config.js';
import type { Logger } from './logger.js';

/** The instrumentation scope of every span the service makes. */
export const TRACER_NAME = 'carts';

/** How long one OTLP export may take, and the whole flush at shutdown: a dead receiver must not delay exit. */
export const EXPORT_TIMEOUT_MS = 5_000;
export const SHUTDOWN_FLUSH_TIMEOUT_MS = 2_000;

export interface Tracing {
  readonly tracer: Tracer;
  /** Exports what is buffered (bounded by SHUTDOWN_FLUSH_TIMEOUT_MS) and stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /**
   * Where spans go instead of the OTLP receiver (tests: an in-memory exporter).
   * @default - OTLP over HTTP/protobuf to `config.url`
   */
  readonly exporter?: SpanExporter;
  /**
   * How spans reach the exporter (tests: a SimpleSpanProcessor, to read spans at once).
   * @default - a BatchSpanProcessor
   */
  readonly processor?: (exporter: SpanExporter) => SpanProcessor;
}

export function createTracing(config: TracingConfig, logger: Logger, options: TracingOptions = {}): Tracing {
  enableContextPropagation();
  diag.setLogger(diagToPino(logger), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  const exporter =
    options.exporter ??
    new OTLPTraceExporter({
      url: config.url,
      headers: { ...config.headers },
      timeoutMillis: EXPORT_TIMEOUT_MS,
    });
  const processor =
    options.processor?.(exporter) ??
    new BatchSpanProcessor({ exporter, exportTimeoutMillis: EXPORT_TIMEOUT_MS });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      ...SDK_INFO,
      ...config.resourceAttributes,
      [ATTR_SERVICE_NAME]: config.serviceName,
    }),
    sampler: samplerOf(config.sampler, config.samplerRatio),
    spanProcessors: [processor],
  });
  return {
    tracer: provider.getTracer(TRACER_NAME),
    async shutdown() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>(
        (resolve) => (timer = setTimeout(resolve, SHUTDOWN_FLUSH_TIMEOUT_MS)),
      );
      await Promise.race([provider.shutdown().catch(() => undefined), timeout]);
      clearTimeout(timer);
    },
  };
}

/** The standard samplers by their OTEL_TRACES_SAMPLER names. */
export function samplerOf(name: SamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

let contextManagerEnabled = false;

/** The active span follows `await` through AsyncLocalStorage. Once per process; later calls are no-ops. */
export function enableContextPropagation(): void {
  if (contextManagerEnabled) return;
  contextManagerEnabled = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

/** The SDK's own warnings (export failures, dropped spans) as JSON log lines like everything else. */
function diagToPino(logger: Logger): DiagLogger {
  const log = logger.child({ component: 'opentelemetry' });
  return {
    error: (message, ...args) => log.error({ args }, message),
    warn: (message, ...args) => log.warn({ args }, message),
    info: (message, ...args) => log.info({ args }, message),
    debug: (message, ...args) => log.debug({ args }, message),
    verbose: (message, ...args) => log.trace({ args }, message),
  };
}
