/**
 * A server span per request, on `@opentelemetry/api` directly. `@hono/otel` would also do, but it resolves the
 * global tracer provider and propagator, copies every request header into an object per request and records its
 * own metrics beside our Prometheus ones; this is the part we need, with the route label the metrics already use.
 */
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type { Context, MiddlewareHandler } from 'hono';
import { requestHeader } from './headers.js';
import type { AppEnv } from './routes/env.js';

/** An incoming `traceparent` (W3C Trace Context) continues the caller's trace. */
const propagator = new W3CTraceContextPropagator();
const headers: TextMapGetter<Context<AppEnv>> = {
  get: (c, key) => requestHeader(c, key),
  keys: () => ['traceparent', 'tracestate'],
};

/**
 * The span is active while the request is handled, so DynamoDB spans become its children and log lines carry
 * its ids. Its name and `http.route` come from the route pattern the metrics middleware stores (`route`).
 */
export function traceRequests(tracer: Tracer): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const parent = propagator.extract(ROOT_CONTEXT, c, headers);
    const method = c.req.method;
    const span = tracer.startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: method,
          [ATTR_URL_PATH]: c.req.path,
          [ATTR_URL_SCHEME]: 'http',
        },
      },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), next);
    } finally {
      const route = c.get('route');
      if (route !== undefined) {
        span.setAttribute(ATTR_HTTP_ROUTE, route);
        span.updateName(`${method} ${route}`);
      }
      const status = c.res.status;
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      // Server spans are errors on 5xx only: a 4xx is the client's mistake, answered correctly.
      if (status >= 500) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute(ATTR_ERROR_TYPE, c.error?.name ?? String(status));
        if (c.error) span.recordException(c.error);
      }
      span.end();
    }
  };
}
