import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { createHealthChecks } from './health.js';
import type { Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import { createStorage, type Storage } from './repository/create.js';
import type { AppEnv } from './routes/env.js';
import { closeGracefully, waitAtLeast } from './shutdown.js';
import { PortInUseError } from './start-errors.js';
import { startupCheck, startupFailure, StartupCheckError } from './startup-check.js';
import type { Tracing, TracingOptions } from './tracing.js';

/** Longer than the AWS load balancers' default idle timeout (60 s). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** How a graceful stop went, with its two phases' durations. */
export interface StopResult {
  /** `drained`: every in-flight request finished; `timed-out`: the rest were cut at the shutdown timeout. */
  readonly outcome: 'drained' | 'timed-out';
  /** The drain window as it really lasted (readiness DOWN, every request served). */
  readonly drainMs: number;
  /** From closing the listener to the last connection closed. */
  readonly closeMs: number;
}

export interface RunningService {
  /** The port the server listens on (useful with PORT=0). */
  readonly port: number;
  /**
   * Graceful stop: the drain window (readiness DOWN, every request still served, with `Connection: close`), then
   * no new connections, in-flight requests finish within the shutdown timeout, connections close.
   */
  stop(): Promise<StopResult>;
}

export interface StartOptions {
  /**
   * Tracing overrides (tests: an in-memory exporter); tracing itself is on only when `config.tracing` is set.
   * @default - the OTLP exporter behind a BatchSpanProcessor
   */
  readonly tracing?: TracingOptions;
}

/**
 * Tracing when configured. The SDK and the exporter are imported only then, so a service without OTEL_* variables
 * does not even load them.
 */
async function startTracing(
  config: Config,
  logger: Logger,
  options: TracingOptions | undefined,
): Promise<Tracing | undefined> {
  if (config.tracing === undefined) return undefined;
  const { createTracing } = await import('./tracing.js');
  const tracing = createTracing(config.tracing, logger, options);
  logger.info(
    { url: config.tracing.url, sampler: config.tracing.sampler, serviceName: config.tracing.serviceName },
    'tracing: exporting spans over OTLP',
  );
  return tracing;
}

/** The service built up to its HTTP listener. */
export interface AssembledService {
  /** The whole HTTP API; `app.fetch` is what the listener serves. */
  readonly app: Hono<AppEnv>;
  readonly storage: Storage;
  /** Set when `config.tracing` is. */
  readonly tracing: Tracing | undefined;
}

export interface AssembleOptions extends StartOptions {
  /** Whether the service is draining (readiness DOWN, `Connection: close` on every response). */
  readonly isDraining: () => boolean;
}

/**
 * Everything the service is before it listens: metrics with the process collectors, tracing when configured,
 * storage (creating the table in create-table mode), the start-up check, the health checks and the app. Whatever
 * was built is released again when a step fails. Throws StartupCheckError (already logged with its diagnosis) when
 * DynamoDB does not answer.
 */
export async function assembleService(
  config: Config,
  logger: Logger,
  options: AssembleOptions,
): Promise<AssembledService> {
  const metrics = createMetrics({ processMetrics: true });
  const tracing = await startTracing(config, logger, options.tracing);
  const tracer = tracing?.tracer;
  let storage: Storage;
  try {
    storage = await createStorage(config, logger, { metrics, tracer });
  } catch (error) {
    await tracing?.shutdown();
    throw error instanceof StartupCheckError ? error : startupFailure(error, config, logger);
  }
  try {
    await startupCheck(storage.repository, config, logger);
  } catch (error) {
    storage.close();
    await tracing?.shutdown();
    throw error;
  }
  const health = createHealthChecks({
    repository: storage.repository,
    logger,
    isDraining: options.isDraining,
  });
  const app = createApp({ repository: storage.repository, config, logger, metrics, health, tracer });
  return { app, storage, tracing };
}

/**
 * Builds the service (assembleService) and serves the API. Throws StartupCheckError (already logged with its
 * diagnosis) when DynamoDB does not answer, and PortInUseError when the port is taken.
 */
export async function startService(
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningService> {
  let draining = false;
  const { app, storage, tracing } = await assembleService(config, logger, {
    ...options,
    isDraining: () => draining,
  });

  let server: Server;
  try {
    server = await listen(app.fetch, config);
  } catch (error) {
    storage.close();
    await tracing?.shutdown();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, host: config.host ?? null, persistence: config.persistence.provider }, 'listening');

  return {
    port,
    async stop() {
      draining = true;
      const started = performance.now();
      if (config.shutdownDrainMs > 0) {
        logger.info(
          { drainMs: config.shutdownDrainMs },
          'draining: readiness is DOWN, every request is still served',
        );
        await waitAtLeast(config.shutdownDrainMs);
      }
      const closing = performance.now();
      logger.info(
        { timeoutMs: config.shutdownTimeoutMs },
        'closing: no new connections, finishing in-flight requests',
      );
      const outcome = await closeGracefully(server, config.shutdownTimeoutMs);
      storage.close();
      // The last spans (bounded: a receiver that does not answer must not hold the exit).
      await tracing?.shutdown();
      const done = performance.now();
      return { outcome, drainMs: Math.round(closing - started), closeMs: Math.round(done - closing) };
    },
  };
}

function listen(fetch: (request: Request) => Response | Promise<Response>, config: Config): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch, port: config.port, ...(config.host ? { hostname: config.host } : {}) }, () => {
      // Behind an ALB (idle timeout 60 s) the server must not close a kept-alive connection first, or the ALB
      // answers 502 to the request it sends on it at that moment.
      s.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
      s.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
      resolve(s);
    }) as Server;
    s.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(config.port, config.host) : error),
    );
  });
}
