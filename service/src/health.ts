import type { Logger } from './logger.js';
import type { CartRepository } from './repository/cart-repository.js';
import { errorName } from './repository/errors.js';

/** One component of `/actuator/health`, in Spring Boot's words. */
export interface ComponentHealth {
  readonly status: 'UP' | 'DOWN';
  /** Why a component is DOWN: the error's name only (never its message, which may name resources). */
  readonly details?: { readonly error: string };
}

/**
 * What the health endpoints and the request pipeline ask about the service's state.
 *
 * Readiness means "send me traffic": the service has passed its start-up check (it only listens afterwards) and
 * is not draining. Storage does not enter into it: DynamoDB and IAM are shared by every replica, so a blip that
 * failed one pod's readiness would fail them all, and taking every endpoint out turns a 503 with `Retry-After`
 * into refused connections. Requests answer 503 + `Retry-After` while storage is unavailable instead, and
 * `/actuator/health` reports storage for people and alarms.
 */
export interface HealthChecks {
  /** Readiness: false only while draining. */
  ready(): boolean;
  /** True from SIGTERM on: responses carry `Connection: close`, so kept-alive clients reconnect to another pod. */
  draining(): boolean;
  /** Whether storage answers within the timeout. */
  storage(): Promise<ComponentHealth>;
}

export interface HealthChecksOptions {
  readonly repository: CartRepository;
  readonly logger: Logger;
  /** True once shutdown has begun. */
  readonly isDraining: () => boolean;
  /**
   * Longest wait for storage to answer.
   * @default 2000
   */
  readonly timeoutMs?: number;
}

export function createHealthChecks(options: HealthChecksOptions): HealthChecks {
  const timeoutMs = options.timeoutMs ?? 2_000;
  return {
    ready: () => !options.isDraining(),
    draining: options.isDraining,
    async storage() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new Error(`no answer within ${timeoutMs} ms`);
          error.name = 'TimeoutError';
          reject(error);
        }, timeoutMs);
      });
      try {
        await Promise.race([options.repository.ping(), timeout]);
        return { status: 'UP' };
      } catch (error) {
        options.logger.warn({ err: error }, 'health: storage does not answer');
        return { status: 'DOWN', details: { error: errorName(error) } };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
