/**
 * The gap filler's view of one HTTP request and reply, and the AWS wire formats its handlers answer in:
 * REST-JSON errors (EKS), S3's XML errors, and the SigV4 credential scope that says which service and region a
 * request is for (moto routes by it too, since every service shares one endpoint).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';

/** A request the filler answers or corrects (its body read in full). */
export interface FillerRequest {
  readonly method: string;
  /** Path and query as received (`/clusters/c/addons?maxResults=10`). */
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  /** From the SigV4 credential scope, e.g. `eks`, `s3`, `ec2`; `undefined` for an unsigned request. */
  readonly service: string | undefined;
  readonly region: string | undefined;
  /** The body exactly as received (forwarded unchanged). */
  readonly rawBody: Buffer;
  /** The payload: `rawBody` with S3's `aws-chunked` framing removed. */
  readonly body: Buffer;
}

/** What the filler sends back. */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | string;
  /** moto's answer, passed on unchanged: the handler had nothing to correct (not counted as a correction). */
  readonly passedThrough?: true;
}

/** `Credential=AKID/20250101/us-east-1/eks/aws4_request` → `{ region: 'us-east-1', service: 'eks' }`. */
export function credentialScope(authorization: string | undefined): { region?: string; service?: string } {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return match ? { region: match[1], service: match[2] } : {};
}

/** The same Authorization header scoped to another service (for the filler's own calls to moto). */
export function authorizationFor(authorization: string | undefined, service: string): string | undefined {
  return authorization?.replace(/(Credential=[^/]+\/\d{8}\/[^/]+\/)[^/]+(\/aws4_request)/, `$1${service}$2`);
}

/**
 * Removes S3's `aws-chunked` content encoding (`<hex size>[;chunk-signature=…]\r\n<data>\r\n…0…\r\n[trailers]`),
 * which the SDKs use for streamed uploads with a trailing checksum.
 */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new Error('malformed aws-chunked body: no chunk header');
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1').split(';')[0], 16);
    if (Number.isNaN(size)) throw new Error('malformed aws-chunked body: bad chunk size');
    if (size === 0) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

/** Whether a request body is framed with `aws-chunked`. */
export function isAwsChunked(headers: IncomingHttpHeaders): boolean {
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  return String(headers['content-encoding'] ?? '').includes('aws-chunked') || sha.startsWith('STREAMING-');
}

/** A JSON reply (EKS's REST-JSON protocol). */
export function json(status: number, value: unknown): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(value),
  };
}

/** An EKS error: the type in `x-amzn-errortype` (what the SDKs read first) and a `message` in the body. */
export function eksError(
  status: number,
  type: string,
  message: string,
  fields: Record<string, string | undefined> = {},
): Reply {
  const reply = json(status, { ...fields, message });
  return { ...reply, headers: { ...reply.headers, 'x-amzn-errortype': type } };
}

export const notFound = (message: string, fields?: Record<string, string | undefined>) =>
  eksError(404, 'ResourceNotFoundException', message, fields);
export const inUse = (message: string, fields?: Record<string, string | undefined>) =>
  eksError(409, 'ResourceInUseException', message, fields);
export const invalidParameter = (message: string, fields?: Record<string, string | undefined>) =>
  eksError(400, 'InvalidParameterException', message, fields);
export const invalidRequest = (message: string, fields?: Record<string, string | undefined>) =>
  eksError(400, 'InvalidRequestException', message, fields);

/** An XML reply (S3, EC2). */
export function xml(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/xml', ...headers }, body };
}

/** An empty reply (S3's 204 for deletes, 200 for puts). */
export function empty(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: '' };
}

/** An S3 error document. */
export function s3Error(status: number, code: string, message: string, bucket?: string): Reply {
  const bucketName = bucket === undefined ? '' : `<BucketName>${bucket}</BucketName>`;
  return xml(
    status,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${bucketName}<RequestId>${randomUUID()}</RequestId></Error>`,
  );
}

/** Seconds since the epoch, as EKS's JSON timestamps are. */
export function epochSeconds(date = new Date()): number {
  return Math.round(date.getTime()) / 1000;
}

/** The JSON body of a request, or `{}` when it has none. Throws on invalid JSON. */
export function jsonBody<T extends object = Record<string, unknown>>(request: FillerRequest): T {
  const text = request.body.toString('utf8').trim();
  return (text === '' ? {} : JSON.parse(text)) as T;
}

/** One page of a sorted list, with EKS's `maxResults`/`nextToken` (the token is the next item's index). */
export function page<T>(items: readonly T[], url: URL): { items: T[]; nextToken?: string } {
  const max = Number(url.searchParams.get('maxResults') ?? 100);
  const start = Number(url.searchParams.get('nextToken') ?? 0);
  const slice = items.slice(start, start + max);
  return start + max < items.length ? { items: slice, nextToken: String(start + max) } : { items: slice };
}

/** The keys of `source` that are set, with their values. */
export function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}
