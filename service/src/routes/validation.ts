import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../http-errors.js';

/** Hono's own test for JSON media types: application/json and application/*+json. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Upstream's (Spring's) body rules, checked before the schema: a body with a non-JSON content type is 415; a
 * missing or malformed JSON body is 400. Without this, Hono's validator would treat both as an empty object.
 */
export const requireJsonBody: MiddlewareHandler = async (c, next) => {
  const contentType = c.req.header('Content-Type');
  const body = await c.req.text();
  const mediaType = contentType?.split(';')[0]?.trim() ?? '';
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
  try {
    JSON.parse(body);
  } catch {
    throw new ApiError(400, 'bad_request', 'The request body is not valid JSON');
  }
  await next();
};

/** Turns the first schema issue into a 400 that names the field (the zod-validator hook). */
export function rejectInvalid(result: { success: boolean; error?: z.core.$ZodError }): void {
  if (result.success || !result.error) return;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  if (field === undefined) {
    throw new ApiError(400, 'validation_failed', 'The request body must be a JSON object');
  }
  throw new ApiError(400, 'validation_failed', issue?.message ?? `${field} is invalid`, field);
}
