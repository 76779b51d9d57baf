/**
 * `npm run dev`: the service on port 8080 (PORT) with nothing to install. Without an endpoint in the
 * environment it starts an embedded DynamoDB-compatible server (dynalite) that keeps its data under
 * service/.data/ (LevelDB), so carts survive restarts, and creates the table. With
 * RETAIL_CART_PERSISTENCE_DYNAMODB_ENDPOINT set (a real DynamoDB Local) it uses that and starts nothing;
 * with RETAIL_CART_PERSISTENCE_PROVIDER=in-memory it needs no DynamoDB at all.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig, withEmbeddedEndpoint } from './config.js';
import { startEmbeddedDynamoDb } from './embedded-dynamodb.js';
import { configOrExit, exitOnSignals, startOrExit } from './lifecycle.js';
import { createLogger } from './logger.js';

/** service/.data/ (gitignored), from src/ and from dist/ alike. */
const DATA_DIR = fileURLToPath(new URL('../.data/dynalite/', import.meta.url));

async function main(): Promise<void> {
  let config = configOrExit(() => loadConfig({ mode: 'dev' }), createLogger());
  if (!config) return process.exit(1);
  const logger = createLogger(config.logLevel);

  let stopEmbedded = async (): Promise<void> => undefined;
  if (config.persistence.provider === 'dynamodb' && config.persistence.embedded) {
    const embedded = await startEmbeddedDynamoDb(DATA_DIR);
    stopEmbedded = embedded.stop;
    config = withEmbeddedEndpoint(config, embedded.endpoint);
    logger.info({ endpoint: embedded.endpoint, dataDir: DATA_DIR }, 'embedded DynamoDB (dynalite) started');
  }

  const running = await startOrExit(config, logger);
  if (!running) {
    await stopEmbedded();
    return process.exit(1);
  }
  exitOnSignals(logger, async () => {
    const outcome = await running.stop();
    await stopEmbedded();
    return outcome;
  });
}

await main();
