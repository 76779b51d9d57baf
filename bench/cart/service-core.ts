/**
 * The bare server's `core` mode (bare-server.ts): the service's own process as start.ts assembles it — metrics with
 * the process collectors, the instrumented clients, the DynamoDbCartRepository, the start-up check and the Hono app
 * (start.ts's `assembleService`, so the two cannot drift apart) — with the two benchmarked routes answered by the
 * bare handlers over the service's repository, and every other path by the app.
 */
import { getRequestListener } from '@hono/node-server';
import { pino } from 'pino';
import { parseConfig } from '../../service/src/config.js';
import { ENV } from '../../service/src/contract.js';
import { createLogger } from '../../service/src/logger.js';
import { assembleService } from '../../service/src/start.js';
import type { BareStore } from './bare-server.js';

/** The service's process as start.ts assembles it, its HTTP layer aside. */
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
  const { app, storage } = await assembleService(config, logger, { isDraining: () => false });
  const { repository } = storage;
  return {
    getCart: async (customerId) => ({ customerId, items: await repository.getItems(customerId) }),
    addItem: (customerId, item) => repository.addItem(customerId, item),
    close: () => storage.close(),
    fallback: getRequestListener(app.fetch),
  };
}
