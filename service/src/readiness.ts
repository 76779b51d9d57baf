import type { Logger } from './logger.js';
import type { CartRepository } from './repository/cart-repository.js';

export interface ReadinessOptions {
  readonly repository: CartRepository;
  readonly logger: Logger;
  /** True once shutdown has begun: the pod leaves the Service's endpoints before the server closes. */
  readonly isShuttingDown: () => boolean;
  /**
   * Longest wait for storage to answer.
   * @default 2000
   */
  readonly timeoutMs?: number;
}

/** Readiness: not shutting down, and storage answers within the timeout. */
export function createReadinessProbe(options: ReadinessOptions): () => Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  return async () => {
    if (options.isShuttingDown()) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([options.repository.ping(), timeout]);
      return true;
    } catch (error) {
      options.logger.warn({ err: error }, 'readiness: storage does not answer');
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
}
