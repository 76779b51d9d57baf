/**
 * The emulator behind the filler (moto_server): requests go to it unchanged — method, path, query, headers (the
 * SigV4 Authorization and the Host included, so moto routes and builds URLs as if it had been called directly)
 * and body — either streamed through, or buffered when a handler needs to read or correct the answer.
 */
import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { authorizationFor, type FillerRequest, type Reply } from './http';

/** A buffered answer from the emulator. */
export interface UpstreamReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Headers that describe one hop, not the message: never copied from one connection to the next. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  // The filler has already answered "100 Continue" (Node does it for us); moto must not wait for a second one.
  'expect',
]);

function forwardable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

export class Upstream {
  constructor(private readonly base: URL) {}

  /** Streams a request to the emulator and its answer back, untouched. */
  pipe(request: IncomingMessage, response: ServerResponse, onError: (error: Error) => void): void {
    const outgoing = httpRequest(
      new URL(request.url ?? '/', this.base),
      { method: request.method, headers: forwardable(request.headers) },
      (incoming) => {
        response.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, incoming.rawHeaders);
        incoming.pipe(response);
      },
    );
    outgoing.on('error', onError);
    request.pipe(outgoing);
  }

  /** Sends a request and reads the whole answer. */
  send(options: {
    method: string;
    path: string;
    headers: IncomingHttpHeaders;
    body?: Buffer | string;
  }): Promise<UpstreamReply> {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const headers = forwardable(options.headers);
    if (body !== undefined) headers['content-length'] = String(body.length);
    else delete headers['content-length'];
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        new URL(options.path, this.base),
        { method: options.method, headers },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 502,
              headers: incoming.headers,
              body: Buffer.concat(chunks),
            }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /** The filler's request, as it came (buffered). */
  forward(request: FillerRequest, body: Buffer | string = request.rawBody): Promise<UpstreamReply> {
    return this.send({
      method: request.method,
      path: request.url.pathname + request.url.search,
      headers: request.headers,
      body,
    });
  }

  /**
   * A call of the filler's own to another operation (e.g. DescribeCluster to check that a cluster exists),
   * signed like the request that caused it but scoped to `service` (moto does not verify signatures).
   */
  call(
    request: FillerRequest,
    service: string,
    options: { method: string; path: string; body?: string; contentType?: string },
  ): Promise<UpstreamReply> {
    const headers: IncomingHttpHeaders = { host: request.headers.host };
    const authorization = authorizationFor(request.headers.authorization, service);
    if (authorization !== undefined) headers.authorization = authorization;
    if (request.headers['x-amz-date'] !== undefined) headers['x-amz-date'] = request.headers['x-amz-date'];
    if (options.contentType !== undefined) headers['content-type'] = options.contentType;
    return this.send({ method: options.method, path: options.path, headers, body: options.body });
  }
}

/** An emulator answer passed on as the filler's reply (hop-by-hop headers and the length recomputed). */
export function relay(reply: UpstreamReply, body: Buffer | string = reply.body): Reply {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name === 'content-length') continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { status: reply.status, headers, body };
}

/** moto's answer passed on because there is nothing to correct (counted as forwarded, not as a correction). */
export function passThrough(reply: UpstreamReply): Reply {
  return { ...relay(reply), passedThrough: true };
}

/** The emulator's JSON answer, if it is one. */
export function replyJson<T = Record<string, unknown>>(reply: UpstreamReply): T | undefined {
  if (!String(reply.headers['content-type'] ?? '').includes('json')) return undefined;
  try {
    return JSON.parse(reply.body.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Whether the status is a 2xx. */
export const succeeded = (reply: { status: number }) => reply.status >= 200 && reply.status < 300;
