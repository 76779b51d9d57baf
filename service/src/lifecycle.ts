/** Process-level steps shared by the two entries (server.ts and dev.ts). */
import { ConfigError, type Config } from './config.js';
import type { Logger } from './logger.js';
import { StartError } from './start-errors.js';
import { startService, type RunningService } from './start.js';
import { StartupCheckError } from './startup-check.js';

/**
 * Stops gracefully on SIGTERM (Kubernetes) and SIGINT (Ctrl-C), then exits 0; a second signal exits at once.
 * Uncaught errors are logged and exit 1.
 */
export function exitOnSignals(logger: Logger, stop: () => Promise<object>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      (result) => {
        logger.info(result, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // A crash is logged as JSON like everything else before the process dies.
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled rejection');
    process.exit(1);
  });
}

/** Reads the configuration, or logs why it is invalid and returns undefined. */
export function configOrExit(load: () => Config, logger: Logger): Config | undefined {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    logger.fatal({ problems: error.problems }, error.message);
    return undefined;
  }
}

/** Starts the service, or logs why it cannot start and returns undefined. */
export async function startOrExit(config: Config, logger: Logger): Promise<RunningService | undefined> {
  try {
    return await startService(config, logger);
  } catch (error) {
    // A StartupCheckError has been logged with its diagnosis already; a StartError says what to do, no stack.
    if (error instanceof StartError) logger.fatal(error.details, error.message);
    else if (!(error instanceof StartupCheckError)) logger.fatal({ err: error }, 'start failed');
    return undefined;
  }
}
