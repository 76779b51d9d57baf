/**
 * The emulator gap filler: an HTTP server on 127.0.0.1 in front of moto_server that forwards every request
 * unchanged (a transparent reverse proxy: method, path, headers — SigV4 Authorization and Host included — and a
 * streamed body), except the AWS operations moto 5.2.1 lacks or gets wrong, which it answers or corrects itself.
 * Each correction is one row of EMULATOR_CORRECTIONS, with what moto does and what the filler does instead; the
 * filler counts the requests each one handled, so a run can say which corrections it exercised.
 *
 * With it, Terraform applies the synthesized stacks as they are: nothing in the configuration is patched,
 * skipped or targeted for the emulator's sake.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchRoute, type Correction, type FillerContext, type Route } from './gap-filler/correction';
import { EC2_LAUNCH_TEMPLATE_TAGS } from './gap-filler/ec2-launch-templates';
import { EKS_ACCESS_ENTRIES } from './gap-filler/eks-access-entries';
import { EKS_ADDONS } from './gap-filler/eks-addons';
import { EKS_CLUSTER_FIELDS, EKS_UPDATES } from './gap-filler/eks-clusters';
import { EKS_NODEGROUPS } from './gap-filler/eks-nodegroups';
import { EKS_POD_IDENTITY } from './gap-filler/eks-pod-identity';
import { EksStore } from './gap-filler/eks-store';
import { EKS_TAGS } from './gap-filler/eks-tags';
import {
  credentialScope,
  decodeAwsChunked,
  isAwsChunked,
  type FillerRequest,
  type Reply,
} from './gap-filler/http';
import {
  S3_BUCKET_POLICY,
  S3_DELETED_BUCKET,
  S3_LIFECYCLE,
  S3_VERSIONING_SUSPEND,
} from './gap-filler/s3-bucket-settings';
import { S3Store } from './gap-filler/s3-store';
import { relay, Upstream } from './gap-filler/upstream';

/** Everything the filler corrects, in the order its routes are tried. */
export const EMULATOR_CORRECTIONS: readonly Correction[] = [
  EKS_ADDONS,
  EKS_POD_IDENTITY,
  EKS_ACCESS_ENTRIES,
  EKS_CLUSTER_FIELDS,
  EKS_UPDATES,
  EKS_NODEGROUPS,
  EKS_TAGS,
  S3_BUCKET_POLICY,
  S3_LIFECYCLE,
  S3_VERSIONING_SUSPEND,
  S3_DELETED_BUCKET,
  EC2_LAUNCH_TEMPLATE_TAGS,
];

/** How often one correction was used, by operation. */
export interface CorrectionUsage {
  readonly name: string;
  readonly moto: string;
  readonly fix: string;
  readonly terraformTypes: readonly string[];
  readonly operations: Readonly<Record<string, number>>;
  readonly total: number;
}

export interface GapFiller {
  /** `http://127.0.0.1:<port>`: where clients (Terraform, the SDKs) send AWS requests. */
  readonly endpoint: string;
  readonly port: number;
  /** Every correction with the requests it handled (corrections never used included, with 0). */
  usage(): CorrectionUsage[];
  /** Requests passed to moto untouched (those a correction looked at and had nothing to correct included). */
  forwarded(): number;
  /** One line per request a correction handled (and every proxy error). */
  log(): string;
  /** What the filler itself still holds (add-ons, associations, access entries, bucket settings), by kind. */
  held(): Record<string, string[]>;
  stop(): Promise<void>;
}

export interface GapFillerOptions {
  /** moto_server's endpoint. */
  readonly upstream: string;
  /** @default 0 (a free port) */
  readonly port?: number;
}

/** Starts the filler in front of `upstream`, on 127.0.0.1. */
export async function startGapFiller(options: GapFillerOptions): Promise<GapFiller> {
  const context: FillerContext = {
    upstream: new Upstream(new URL(options.upstream)),
    eks: new EksStore(),
    s3: new S3Store(),
  };
  const routes = EMULATOR_CORRECTIONS.flatMap((correction) =>
    correction.routes(context).map((route) => ({ correction, route })),
  );
  const counts = new Map<string, Map<string, number>>();
  const lines: string[] = [];
  let forwarded = 0;
  const note = (line: string) => lines.push(`${new Date().toISOString()} ${line}`);

  const server = createServer((request, response) => {
    dispatch(request, response).catch((error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      note(`ERROR ${request.method} ${request.url}: ${message}`);
      if (!response.headersSent) send(response, request.method, internalError(message));
      else response.destroy();
    });
  });

  async function dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://gap-filler');
    const { service, region } = credentialScope(request.headers.authorization);
    const candidates = routes.filter((r) => r.route.service === service && r.route.method === request.method);
    if (candidates.length === 0) {
      forwarded++;
      context.upstream.pipe(request, response, (error) => {
        note(`ERROR forwarding ${request.method} ${request.url}: ${error.message}`);
        if (!response.headersSent) send(response, request.method, internalError(error.message, 502));
        else response.destroy();
      });
      return;
    }
    const rawBody = await readBody(request);
    const body = isAwsChunked(request.headers) ? decodeAwsChunked(rawBody) : rawBody;
    const filler: FillerRequest = {
      method: request.method ?? 'GET',
      url,
      headers: request.headers,
      service,
      region,
      rawBody,
      body,
    };
    const action = queryAction(filler);
    for (const { correction, route } of candidates) {
      const params = matchRoute(route, filler, action);
      if (params === undefined) continue;
      const reply = await route.handle(filler, params);
      if (reply.passedThrough) forwarded++;
      else count(correction, route);
      const how = reply.passedThrough ? ' (passed through)' : '';
      note(
        `${correction.name} ${route.operation} ${filler.method} ${url.pathname}${url.search} -> ${reply.status}${how}`,
      );
      send(response, filler.method, reply);
      return;
    }
    forwarded++;
    send(response, filler.method, relay(await context.upstream.forward(filler)));
  }

  function count(correction: Correction, route: Route): void {
    const byOperation = counts.get(correction.name) ?? new Map<string, number>();
    byOperation.set(route.operation, (byOperation.get(route.operation) ?? 0) + 1);
    counts.set(correction.name, byOperation);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    usage: () =>
      EMULATOR_CORRECTIONS.map(({ name, moto, fix, terraformTypes }) => {
        const operations = Object.fromEntries(counts.get(name) ?? []);
        const total = Object.values(operations).reduce((sum, n) => sum + n, 0);
        return { name, moto, fix, terraformTypes, operations, total };
      }),
    forwarded: () => forwarded,
    log: () => lines.join('\n'),
    held: () => ({ ...context.eks.held(), ...context.s3.held() }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The query protocol's `Action` (EC2, IAM, STS): from a form body, or the query string. */
function queryAction(request: FillerRequest): string | undefined {
  if (String(request.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    const action = new URLSearchParams(request.body.toString('utf8')).get('Action');
    if (action !== null) return action;
  }
  return request.url.searchParams.get('Action') ?? undefined;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, method: string | undefined, reply: Reply): void {
  const body = Buffer.from(reply.body);
  response.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
  response.end(method === 'HEAD' ? undefined : body);
}

/** What a client sees when a handler fails: a 500 that names the filler, so nobody blames moto or AWS. */
function internalError(message: string, status = 500): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure' },
    body: JSON.stringify({ message: `emulator gap filler: ${message}` }),
  };
}
