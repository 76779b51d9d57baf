import { randomUUID } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { matchedRoutes } from 'hono/route';
import { ItemNotFoundError } from './cart/errors.js';
import type { Config } from './config.js';
import { HEALTH_PATHS } from './contract.js';
import { requestHeader, setResponseHeader } from './headers.js';
import type { HealthChecks } from './health.js';
import { ApiError, type ErrorBody } from './http-errors.js';
import { traceRequests } from './http-tracing.js';
import type { Logger } from './logger.js';
import { outcomeOf, type Metrics } from './metrics.js';
import type { CartRepository } from './repository/cart-repository.js';
import { StorageUnavailableError } from './repository/errors.js';
import { cartRoutes } from './routes/carts.js';
import type { AppEnv } from './routes/env.js';
import { healthRoutes } from './routes/health.js';
import { allowedMethods, uriLabel } from './routes/method-not-allowed.js';
import { topologyRoutes } from './routes/topology.js';

export interface AppDeps {
  readonly repository: CartRepository;
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Readiness, draining and storage health. */
  readonly health: HealthChecks;
  /**
   * A server span per request.
   * @default - no tracing middleware at all
   */
  readonly tracer?: Tracer;
}

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 1;

/** Requests too frequent to log at info: probes and scrapes. */
const QUIET_PATHS: ReadonlySet<string> = new Set(
  Object.values(HEALTH_PATHS).filter((p) => p !== '/topology'),
);

/** An incoming X-Request-Id is used when it is 1 to 128 of `A-Za-z0-9_-=` (Hono's requestId rule). */
const REQUEST_ID = /^[\w\-=]{1,128}$/;

/** The whole HTTP service, wired from its dependencies (tests inject them). */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { logger, metrics } = deps;
  const app = new Hono<AppEnv>();

  // The span, when tracing is on, encloses everything below, so the request's log line carries its ids.
  if (deps.tracer) app.use(traceRequests(deps.tracer));

  // Per request: the request id (a well-formed incoming X-Request-Id, else a new one, echoed on the response), one
  // log line and one metric observation. One middleware rather than one per concern: each layer is another
  // closure and promise on every request. Plain log fields rather than a child logger per request: the line is the
  // same, without building a logger that lives for one line.
  app.use(async (c, next) => {
    const given = requestHeader(c, 'x-request-id');
    const id = given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
    c.set('requestId', id);
    setResponseHeader(c, 'X-Request-Id', id);
    // While draining, every response asks the client to reconnect: a kept-alive connection (kube-proxy keeps
    // routing an open one here) then lands on a pod that is not going away.
    if (deps.health.draining()) setResponseHeader(c, 'Connection', 'close');
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const status = c.res.status;
    const matched = matchedRoutes(c).findLast((r) => r.method !== 'ALL')?.path;
    const route = matched === undefined ? undefined : uriLabel(matched);
    c.set('route', route);
    const uri = route ?? (status === 404 ? 'NOT_FOUND' : 'UNKNOWN');
    const method = c.req.method;
    metrics.httpDuration.observe(
      { method, uri, status: String(status), outcome: outcomeOf(status) },
      seconds,
    );
    const path = c.req.path;
    const line = { reqId: id, method, path, uri, status, ms: Math.round(seconds * 1e4) / 10 };
    if (QUIET_PATHS.has(path)) logger.debug(line, 'request');
    else logger.info(line, 'request');
  });

  app.route('/carts', cartRoutes(deps.repository));
  app.route('/', healthRoutes({ health: deps.health, metrics }));
  app.route('/', topologyRoutes(deps.config));

  app.notFound((c) => {
    const allow = allowedMethods(app.routes, c.req.path);
    if (allow.length > 0) {
      c.header('Allow', allow.join(', '));
      return c.json(errorBody('method_not_allowed', `${c.req.method} is not allowed here`), 405);
    }
    return c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404);
  });

  // The one place errors become responses. No response ever carries a stack trace; the log does.
  app.onError((error, c) => {
    const log = logger.child({ reqId: c.get('requestId') });
    if (error instanceof ApiError) return c.json(error.body, error.status);
    if (error instanceof ItemNotFoundError) return c.json(errorBody('not_found', error.message), 404);
    if (error instanceof StorageUnavailableError) {
      log.warn({ err: error.cause ?? error }, 'storage unavailable');
      c.header('Retry-After', String(RETRY_AFTER_SECONDS));
      return c.json(errorBody('unavailable', 'The cart store is temporarily unavailable; retry later'), 503);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code =
        error.status === 413 ? 'payload_too_large' : error.status === 404 ? 'not_found' : 'bad_request';
      return c.json(errorBody(code, error.message || 'Bad request'), error.status);
    }
    log.error({ err: error }, 'unhandled error');
    return c.json(errorBody('internal_error', 'Internal server error'), 500);
  });

  return app;
}

function errorBody(error: ErrorBody['error'], message: string): ErrorBody {
  return { error, message };
}
