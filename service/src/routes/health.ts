import { Hono, type Context } from 'hono';
import { HEALTH_PATHS } from '../contract.js';
import type { Metrics } from '../metrics.js';
import type { AppEnv } from './env.js';

export interface HealthRoutesOptions {
  /** Whether the service can serve traffic (storage answers, not shutting down). */
  readonly readiness: () => Promise<boolean>;
  readonly metrics: Metrics;
}

/** Spring Boot actuator's paths, which the Helm chart and the workshop's probes use, plus metrics. */
export function healthRoutes({ readiness, metrics }: HealthRoutesOptions): Hono<AppEnv> {
  const health = new Hono<AppEnv>();

  const ready = async (c: Context<AppEnv>) =>
    (await readiness()) ? c.json({ status: 'UP' }) : c.json({ status: 'DOWN' }, 503);

  health.get(HEALTH_PATHS.health, ready);
  health.get(HEALTH_PATHS.alias, ready);
  health.get(HEALTH_PATHS.readiness, ready);
  // Liveness says only that the process serves HTTP: a storage outage must not restart every pod.
  health.get(HEALTH_PATHS.liveness, (c) => c.json({ status: 'UP' }));

  health.get(HEALTH_PATHS.metrics, async (c) =>
    c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }),
  );

  return health;
}
