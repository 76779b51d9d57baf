/**
 * Header access that skips the Fetch API objects under @hono/node-server. Reading one request header through
 * Hono builds an undici `Headers` of every header, and setting one response header before the handler answers
 * makes Hono build another for the response and node-server convert it back: together a large share of a cart
 * request's CPU. Node's own objects carry the same headers; `outgoing.setHeader` values are merged into the
 * response node-server writes (`writeHead` merges). Elsewhere (tests' `app.request`) Hono's API is used.
 */
import type { Context } from 'hono';
import type { AppEnv } from './routes/env.js';

/** A request header by its lower-case name. */
export function requestHeader(c: Context<AppEnv>, name: string): string | undefined {
  const incoming = c.env?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Sets a response header, before or after the handler has answered. */
export function setResponseHeader(c: Context<AppEnv>, name: string, value: string): void {
  const outgoing = c.env?.outgoing;
  if (outgoing && !outgoing.headersSent) outgoing.setHeader(name, value);
  else c.header(name, value);
}
