/**
 * A correction: one thing moto gets wrong or lacks, and the routes (AWS operations) with which the filler
 * answers or corrects it. Every route names its operation, so the filler can count what was exercised.
 */
import type { EksStore } from './eks-store';
import type { FillerRequest, Reply } from './http';
import type { S3Store } from './s3-store';
import type { Upstream } from './upstream';

/** What every handler may use. */
export interface FillerContext {
  readonly upstream: Upstream;
  readonly eks: EksStore;
  readonly s3: S3Store;
}

export interface Route {
  /** The AWS operation, as the API reference names it (`CreateAddon`). */
  readonly operation: string;
  /** The SigV4 service name (`eks`, `s3`, `ec2`). */
  readonly service: string;
  readonly method: string;
  /**
   * REST path with named groups (`^/clusters/(?<cluster>[^/]+)/addons$`), matched against the path as sent (an
   * ARN in a path label arrives with its `/` encoded); the groups are decoded.
   */
  readonly path?: RegExp;
  /** An S3 sub-resource that must be in the query (`policy`, `lifecycle`, `versioning`). */
  readonly subresource?: string;
  /** The S3 request must name no sub-resource (plain bucket operations such as DeleteBucket). */
  readonly noSubresource?: true;
  /** The query protocol's `Action` (EC2). */
  readonly action?: string;
  handle(request: FillerRequest, params: Readonly<Record<string, string>>): Promise<Reply>;
}

/** One row of EMULATOR_CORRECTIONS. */
export interface Correction {
  /** Short, stable name used in logs and reports (`eks-addons`). */
  readonly name: string;
  /** What moto 5.2.1 does: the bug or the missing API. */
  readonly moto: string;
  /** What the filler does about it. */
  readonly fix: string;
  /** Terraform resource types whose apply/plan/destroy needs the correction (none: only some updates do). */
  readonly terraformTypes: readonly string[];
  /** The routes, given the shared context. */
  readonly routes: (context: FillerContext) => readonly Route[];
}

/** Every S3 sub-resource a bucket-level request can name (only the first four matter to the filler). */
const S3_SUBRESOURCES = [
  'policy',
  'lifecycle',
  'versioning',
  'acl',
  'cors',
  'encryption',
  'location',
  'logging',
  'notification',
  'ownershipControls',
  'publicAccessBlock',
  'replication',
  'tagging',
  'website',
  'uploads',
  'versions',
  'object-lock',
  'accelerate',
  'requestPayment',
  'intelligent-tiering',
  'analytics',
  'metrics',
  'inventory',
  'policyStatus',
  'list-type',
  'delete',
];

/** The route's path parameters when it matches the request, else `undefined`. */
export function matchRoute(
  route: Route,
  request: Pick<FillerRequest, 'method' | 'url' | 'service'>,
  action: string | undefined,
): Record<string, string> | undefined {
  if (route.service !== request.service || route.method !== request.method) return undefined;
  if (route.action !== undefined && route.action !== action) return undefined;
  const query = request.url.searchParams;
  if (route.subresource !== undefined && !query.has(route.subresource)) return undefined;
  if (route.noSubresource && S3_SUBRESOURCES.some((s) => query.has(s))) return undefined;
  if (route.path === undefined) return {};
  const match = route.path.exec(request.url.pathname);
  if (!match) return undefined;
  return Object.fromEntries(
    Object.entries(match.groups ?? {}).map(([name, value]) => [name, decodeURIComponent(value)]),
  );
}
