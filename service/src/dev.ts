/**
 * `npm run dev`: the service on port 8080 (PORT) with nothing to install. Without an endpoint in the
 * environment it starts an embedded DynamoDB-compatible server (dynalite) that keeps its data under
 * service/.data/ (LevelDB; DEV_DATA_DIR to change it), so carts survive restarts, and creates the table. With
 * RETAIL_CART_PERSISTENCE_DYNAMODB_ENDPOINT set (a real DynamoDB Local) it uses that and starts nothing;
 * with RETAIL_CART_PERSISTENCE_PROVIDER=in-memory it needs no DynamoDB at all.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, withEmbeddedEndpoint } from './config.js';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from './embedded-dynamodb.js';
import { configOrExit, exitOnSignals, startOrExit } from './lifecycle.js';
import { createLogger, type Logger } from './logger.js';
import { StartError } from './start-errors.js';

/** service/.data/ (gitignored), from src/ and from dist/ alike. */
const DEFAULT_DATA_DIR = fileURLToPath(new URL('../.data/dynalite/', import.meta.url));

async function main(): Promise<void> {
  let config = configOrExit(() => loadConfig({ mode: 'dev' }), createLogger());
  if (!config) return process.exit(1);
  const logger = createLogger(config.logLevel, { traceIds: config.tracing !== undefined });

  let embedded: EmbeddedDynamoDb | undefined;
  if (config.persistence.provider === 'dynamodb' && config.persistence.embedded) {
    const dataDir = config.devDataDir === undefined ? DEFAULT_DATA_DIR : resolve(config.devDataDir);
    embedded = await startEmbeddedOrExit(dataDir, logger);
    if (!embedded) return process.exit(1);
    config = withEmbeddedEndpoint(config, embedded.endpoint);
    logger.info({ endpoint: embedded.endpoint, dataDir }, 'embedded DynamoDB (dynalite) started');
  }

  const running = await startOrExit(config, logger);
  if (!running) {
    await embedded?.stop();
    return process.exit(1);
  }
  exitOnSignals(logger, async () => {
    const result = await running.stop();
    await embedded?.stop();
    return result;
  });
}

/** The embedded store, or a one-line fatal log (no stack trace) when its directory is taken. */
async function startEmbeddedOrExit(dataDir: string, logger: Logger): Promise<EmbeddedDynamoDb | undefined> {
  try {
    return await startEmbeddedDynamoDb(dataDir);
  } catch (error) {
    if (!(error instanceof StartError)) throw error;
    logger.fatal(error.details, error.message);
    return undefined;
  }
}

await main();
