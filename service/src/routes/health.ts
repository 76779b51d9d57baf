import { Hono, type Context } from 'hono';
import { HEALTH_PATHS } from '../contract.js';
import type { HealthChecks } from '../health.js';
import type { Metrics } from '../metrics.js';
import type { AppEnv } from './env.js';

export interface HealthRoutesOptions {
  readonly health: HealthChecks;
  readonly metrics: Metrics;
}

/** Spring Boot actuator's paths, which the Helm chart and the workshop's probes use, plus metrics. */
export function healthRoutes({ health, metrics }: HealthRoutesOptions): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  // Probes and the ALB's health check: in rotation unless draining. Spring's word for "deliberately out".
  routes.get(HEALTH_PATHS.readiness, (c) =>
    health.ready() ? c.json({ status: 'UP' }) : c.json({ status: 'OUT_OF_SERVICE' }, 503),
  );
  // Liveness says only that the process serves HTTP: a storage outage must not restart every pod.
  routes.get(HEALTH_PATHS.liveness, (c) => c.json({ status: 'UP' }));

  // For people and alarms: readiness and storage, DOWN (503) when storage does not answer.
  const overall = async (c: Context<AppEnv>) => {
    const storage = await health.storage();
    const readinessState = { status: health.ready() ? 'UP' : 'OUT_OF_SERVICE' } as const;
    // Spring's order of severity: DOWN, then OUT_OF_SERVICE, then UP.
    const status = storage.status === 'DOWN' ? 'DOWN' : readinessState.status;
    return c.json({ status, components: { readinessState, storage } }, status === 'UP' ? 200 : 503);
  };
  routes.get(HEALTH_PATHS.health, overall);
  routes.get(HEALTH_PATHS.alias, overall);

  routes.get(HEALTH_PATHS.metrics, async (c) =>
    c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }),
  );

  return routes;
}
