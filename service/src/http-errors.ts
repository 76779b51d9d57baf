import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Error codes of the API's one error body shape. */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unavailable'
  | 'internal_error';

/** Every error response: `{ "error": "<code>", "message": "...", "field"?: "..." }`. */
export interface ErrorBody {
  readonly error: ErrorCode;
  readonly message: string;
  /** The request field at fault (validation errors). */
  readonly field?: string;
}

/** Thrown anywhere in a request; the app's error handler turns it into a JSON error response. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get body(): ErrorBody {
    return {
      error: this.code,
      message: this.message,
      ...(this.field !== undefined ? { field: this.field } : {}),
    };
  }
}
