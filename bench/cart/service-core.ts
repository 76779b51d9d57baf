/**
 * The bare server's `core` mode (bare-server.ts): the service's own process as start.ts builds it — configuration,
 * metrics with the process collectors, the instrumented clients, the DynamoDbCartRepository, the start-up check and
 * the Hono app — with the two benchmarked routes answered by the bare handlers over the service's repository, and
 * every other path by the app.
 */
import { getRequestListener } from '@hono/node-server';
import { pino } from 'pino';
import { createApp } from '../../service/src/app.js';
import { parseConfig } from '../../service/src/config.js';
import { ENV } from '../../service/src/contract.js';
import { createHealthChecks } from '../../service/src/health.js';
import { createLogger } from '../../service/src/logger.js';
import { createMetrics } from '../../service/src/metrics.js';
import { createStorage } from '../../service/src/repository/create.js';
import { startupCheck } from '../../service/src/startup-check.js';
import type { BareStore } from './bare-server.js';

/** The service's process as start.ts builds it, its HTTP layer aside. */
export async function serviceCoreStore(endpoint: string, tableName: string): Promise<BareStore> {
  const config = parseConfig({
    [ENV.provider]: 'dynamodb',
    [ENV.endpoint]: endpoint,
    [ENV.tableName]: tableName,
    [ENV.createTable]: 'false',
    [ENV.region]: 'us-west-2',
  });
  // The service logs to stdout; here stdout carries the url line, and the two routes log nothing anyway.
  const logger = createLogger(config.logLevel, {
    destination: pino.destination({ dest: '/dev/null', sync: true }),
  });
  const metrics = createMetrics({ processMetrics: true });
  const storage = await createStorage(config, logger, { metrics });
  await startupCheck(storage.repository, config, logger);
  const health = createHealthChecks({ repository: storage.repository, logger, isDraining: () => false });
  const app = createApp({ repository: storage.repository, config, logger, metrics, health });
  const { repository } = storage;
  return {
    getCart: async (customerId) => ({ customerId, items: await repository.getItems(customerId) }),
    addItem: (customerId, item) => repository.addItem(customerId, item),
    close: () => storage.close(),
    fallback: getRequestListener(app.fetch),
  };
}
