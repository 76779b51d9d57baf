import { randomUUID } from 'node:crypto';
import { createApp } from '../../../service/src/app.js';
import type { Config } from '../../../service/src/config.js';
import type { HealthChecks } from '../../../service/src/health.js';
import { createMetrics, type Metrics } from '../../../service/src/metrics.js';
import type { CartRepository } from '../../../service/src/repository/cart-repository.js';
import { captureLogs, type CapturedLogs } from './logs.js';

export interface TestApp {
  readonly app: ReturnType<typeof createApp>;
  readonly logs: CapturedLogs;
  readonly metrics: Metrics;
}

export function testApp(
  repository: CartRepository,
  config: Config,
  options: { health?: Partial<HealthChecks>; metrics?: Metrics } = {},
): TestApp {
  const logs = captureLogs('debug');
  const metrics = options.metrics ?? createMetrics();
  const app = createApp({
    repository,
    config,
    logger: logs.logger,
    metrics,
    health: { ...HEALTHY, ...options.health },
  });
  return { app, logs, metrics };
}

/** Started, not draining, storage answers. */
export const HEALTHY: HealthChecks = {
  ready: () => true,
  draining: () => false,
  storage: async () => ({ status: 'UP' }),
};

/** A customer id no other test uses (the DynamoDB suites share one table). */
export const newId = (prefix = 'customer'): string => `${prefix}-${randomUUID()}`;

export const JSON_HEADERS = { 'Content-Type': 'application/json' };

export function jsonRequest(method: string, body: unknown): RequestInit {
  return { method, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

/** The product the retail store's UI uses in examples. */
export const PRODUCT = 'd27cf49f-b689-4a75-a249-d373e0330bb5';
