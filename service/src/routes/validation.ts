/**
 * Input validation: path parameters, query strings and JSON bodies checked against the zod schemas of
 * cart/schemas.ts, the first issue answered as a 400 that names the field. The validated values are handed on
 * with Hono's `addValidatedData`, so handlers read them typed through `c.req.valid(...)`.
 *
 * Why not `@hono/zod-validator`: Hono's validator core reads the request's Content-Type for every target, a path
 * parameter included, and under @hono/node-server that builds a Fetch `Headers` of every request header; and
 * reading a body through Hono turns Node's request into a Fetch Request (undici Request, web stream,
 * AbortController). Together they were a fifth of a cart POST's CPU. These read Node's request directly when
 * there is one, and Hono's otherwise (tests' `app.request`).
 */
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { LIMITS } from '../cart/limits.js';
import { requestHeader } from '../headers.js';
import { ApiError } from '../http-errors.js';
import type { AppEnv } from './env.js';

/** Hono's own test for JSON media types: application/json and application/*+json. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

type Validated<Target extends string, S extends z.ZodType> = {
  in: { [K in Target]: z.input<S> };
  out: { [K in Target]: z.output<S> };
};

/** Path parameters (`/:customerId`, ...) against `schema`. */
export function validParams<S extends z.ZodType>(
  schema: S,
): MiddlewareHandler<AppEnv, string, Validated<'param', S>> {
  return async (c, next) => {
    c.req.addValidatedData('param', check(schema, c.req.param()) as object);
    await next();
  };
}

/** Query parameters (the first value of each) against `schema`. */
export function validQuery<S extends z.ZodType>(
  schema: S,
): MiddlewareHandler<AppEnv, string, Validated<'query', S>> {
  return async (c, next) => {
    c.req.addValidatedData('query', check(schema, c.req.query()) as object);
    await next();
  };
}

/**
 * A JSON body against `schema`, with upstream's (Spring's) body rules first: over 64 KiB is 413; a missing body
 * is 400; a body with a non-JSON content type is 415; malformed JSON is 400.
 */
export function jsonBody<S extends z.ZodType>(
  schema: S,
): MiddlewareHandler<AppEnv, string, Validated<'json', S>> {
  return async (c, next) => {
    const body = await readBody(c);
    const mediaType = requestHeader(c, 'content-type')?.split(';')[0]?.trim() ?? '';
    if (body.trim() === '' && (mediaType === '' || JSON_MEDIA_TYPE.test(mediaType))) {
      throw new ApiError(400, 'bad_request', 'A JSON request body is required');
    }
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      throw new ApiError(
        415,
        'unsupported_media_type',
        `Content-Type ${JSON.stringify(mediaType || '(none)')} is not supported: use application/json`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new ApiError(400, 'bad_request', 'The request body is not valid JSON');
    }
    c.req.addValidatedData('json', check(schema, parsed) as object);
    await next();
  };
}

/** The parsed value, or a 400 naming the first issue's field. */
function check<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  if (field === undefined) {
    throw new ApiError(400, 'validation_failed', 'The request body must be a JSON object');
  }
  throw new ApiError(400, 'validation_failed', issue?.message ?? `${field} is invalid`, field);
}

const tooLarge = () =>
  new ApiError(413, 'payload_too_large', `Request bodies are limited to ${LIMITS.maxBodyBytes} bytes`);

/** The body as text, refused with 413 past the limit (at once when Content-Length says so). */
async function readBody(c: Parameters<MiddlewareHandler<AppEnv>>[0]): Promise<string> {
  const declared = requestHeader(c, 'content-length');
  if (declared !== undefined && requestHeader(c, 'transfer-encoding') === undefined) {
    if (Number(declared) > LIMITS.maxBodyBytes) throw tooLarge();
  }
  const incoming = c.env?.incoming;
  if (!incoming) {
    const text = await c.req.text();
    if (Buffer.byteLength(text) > LIMITS.maxBodyBytes) throw tooLarge();
    return text;
  }
  const text = await new Promise<string | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit the rest is read and dropped rather than the stream destroyed: the 413 still goes out on
    // this connection, and the connection stays usable.
    incoming.on('data', (chunk: Buffer) => {
      if (size > LIMITS.maxBodyBytes) return;
      size += chunk.length;
      if (size > LIMITS.maxBodyBytes) resolve(undefined);
      else chunks.push(chunk);
    });
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
  if (text === undefined) throw tooLarge();
  return text;
}
