import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import { createReadinessProbe } from './readiness.js';
import { createStorage, type Storage } from './repository/create.js';
import { closeGracefully } from './shutdown.js';
import { startupCheck, startupFailure, StartupCheckError } from './startup-check.js';

/** Longer than the AWS load balancers' default idle timeout (60 s). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export interface RunningService {
  /** The port the server listens on (useful with PORT=0). */
  readonly port: number;
  /** Graceful stop: readiness goes DOWN, no new connections, in-flight requests finish, connections close. */
  stop(): Promise<'drained' | 'timed-out'>;
}

/**
 * Builds storage (creating the table in create-table mode), runs the start-up check, and serves the API.
 * Throws StartupCheckError (already logged with its diagnosis) when DynamoDB does not answer.
 */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  const metrics = createMetrics({ processMetrics: true });
  let storage: Storage;
  try {
    storage = await createStorage(config, logger, metrics);
  } catch (error) {
    throw error instanceof StartupCheckError ? error : startupFailure(error, config, logger);
  }
  try {
    await startupCheck(storage.repository, config, logger);
  } catch (error) {
    storage.close();
    throw error;
  }

  let shuttingDown = false;
  const app = createApp({
    repository: storage.repository,
    config,
    logger,
    metrics,
    readiness: createReadinessProbe({
      repository: storage.repository,
      logger,
      isShuttingDown: () => shuttingDown,
    }),
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      { fetch: app.fetch, port: config.port, ...(config.host ? { hostname: config.host } : {}) },
      () => resolve(s as Server),
    ) as Server;
    s.once('error', reject);
  });
  // Behind an ALB (idle timeout 60 s) the server must not close a kept-alive connection first, or the ALB
  // answers 502 to the request it sends on it at that moment.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, host: config.host ?? null, persistence: config.persistence.provider }, 'listening');

  return {
    port,
    async stop() {
      shuttingDown = true;
      const outcome = await closeGracefully(server, config.shutdownTimeoutMs);
      storage.close();
      return outcome;
    },
  };
}
