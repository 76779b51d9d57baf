/**
 * The production entry (`node dist/server.js`): configuration, start-up check, serve, graceful shutdown.
 * Exit codes: 0 after a graceful shutdown, 1 for invalid configuration or a failed start-up check.
 */
import { loadConfig } from './config.js';
import { configOrExit, exitOnSignals, startOrExit } from './lifecycle.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  const config = configOrExit(loadConfig, createLogger());
  if (!config) return process.exit(1);
  const logger = createLogger(config.logLevel, { traceIds: config.tracing !== undefined });
  const running = await startOrExit(config, logger);
  if (!running) return process.exit(1);
  exitOnSignals(logger, () => running.stop());
}

await main();
