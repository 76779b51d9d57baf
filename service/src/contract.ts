/**
 * The cart service's contract with the infrastructure that deploys it.
 *
 * The cdktf stacks import this file (from CommonJS TypeScript) so that the table, the IAM policy, the probes and
 * the ConfigMap stay in sync with what the service really does. Keep it free of imports and side effects.
 */

/** Environment variables the service reads (upstream names where upstream has one). */
export const ENV = {
  /** `in-memory` or `dynamodb`. */
  provider: 'RETAIL_CART_PERSISTENCE_PROVIDER',
  /** DynamoDB table name. */
  tableName: 'RETAIL_CART_PERSISTENCE_DYNAMODB_TABLE_NAME',
  /** Endpoint override (DynamoDB Local); empty means real DynamoDB. */
  endpoint: 'RETAIL_CART_PERSISTENCE_DYNAMODB_ENDPOINT',
  /** Create the table if missing (local world only). */
  createTable: 'RETAIL_CART_PERSISTENCE_DYNAMODB_CREATE_TABLE',
  /** Ours: attempts per DynamoDB call, including the first (SDK adaptive retry mode). */
  maxAttempts: 'RETAIL_CART_PERSISTENCE_DYNAMODB_MAX_ATTEMPTS',
  /** HTTP port. */
  port: 'PORT',
  /** Ours: bind address; unset means every interface. */
  host: 'HOST',
  /** Ours: pino log level. */
  logLevel: 'LOG_LEVEL',
  /**
   * Ours: after SIGTERM, how long the service keeps serving every request with readiness DOWN (so load balancers
   * and kube-proxy stop routing to it) before it stops accepting connections, in milliseconds.
   */
  shutdownDrainMs: 'SHUTDOWN_DRAIN_MS',
  /** Ours: how long in-flight requests may take to finish once the drain window is over, in milliseconds. */
  shutdownTimeoutMs: 'SHUTDOWN_TIMEOUT_MS',
  /** Ours, `npm run dev` only: where the embedded DynamoDB keeps its data (default service/.data/dynalite/). */
  devDataDir: 'DEV_DATA_DIR',
  region: 'AWS_REGION',
  defaultRegion: 'AWS_DEFAULT_REGION',
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
} as const;

/** Values of `RETAIL_CART_PERSISTENCE_PROVIDER`. */
export const PERSISTENCE_PROVIDERS = ['in-memory', 'dynamodb'] as const;

/** Default table name (upstream's). */
export const DEFAULT_TABLE_NAME = 'Items';

/** The global secondary index a cart is read through. */
export const CUSTOMER_INDEX_NAME = 'idx_global_customerId';

/** Item attributes. `id` = `customerId + ":" + itemId`. */
export const ATTRIBUTES = {
  id: 'id',
  customerId: 'customerId',
  itemId: 'itemId',
  quantity: 'quantity',
  unitPrice: 'unitPrice',
} as const;

/** Key schema: the table's partition key and the index's partition key, both strings. */
export const KEY_ATTRIBUTES = {
  tablePartitionKey: ATTRIBUTES.id,
  indexPartitionKey: ATTRIBUTES.customerId,
} as const;

/**
 * Exactly the DynamoDB actions the service calls at run time (repository, start-up check, readiness probe).
 * Grant them on the table ARN and `<table ARN>/index/*`. A test records every call the service makes and
 * compares it with this list.
 */
export const REQUIRED_DYNAMODB_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
] as const;

/** The extra actions of create-table mode (local world only: create if missing, then wait until active). */
export const CREATE_TABLE_DYNAMODB_ACTIONS = ['dynamodb:CreateTable', 'dynamodb:DescribeTable'] as const;

/** HTTP paths the platform probes or scrapes. */
export const HEALTH_PATHS = {
  health: '/actuator/health',
  liveness: '/actuator/health/liveness',
  readiness: '/actuator/health/readiness',
  /** Alias of `health` the UI falls back to. */
  alias: '/health',
  metrics: '/actuator/prometheus',
  topology: '/topology',
} as const;

/** Container port (overridable with `PORT`). */
export const DEFAULT_PORT = 8080;

/** The uid and gid the container image runs as. */
export const CONTAINER_USER_ID = 1000;

/**
 * The standard OpenTelemetry variables the service reads (https://opentelemetry.io/docs/specs/otel/configuration/
 * sdk-environment-variables/). Traces are exported (OTLP over HTTP/protobuf) only when an endpoint is set; without
 * one the service creates no tracer, no span processor and no exporter.
 */
export const OTEL_ENV = {
  /** `true` turns tracing off whatever else is set. */
  sdkDisabled: 'OTEL_SDK_DISABLED',
  /** Base URL of an OTLP/HTTP receiver; traces go to `<url>/v1/traces`. */
  endpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  /** Full URL for traces; wins over the base URL. */
  tracesEndpoint: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  /** Only `http/protobuf` is supported. */
  protocol: 'OTEL_EXPORTER_OTLP_PROTOCOL',
  tracesProtocol: 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  /** `key=value,key=value` request headers for the receiver (values URL-encoded). */
  headers: 'OTEL_EXPORTER_OTLP_HEADERS',
  tracesHeaders: 'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
  /** `otlp` (default) or `none`. */
  tracesExporter: 'OTEL_TRACES_EXPORTER',
  /** `service.name` of every span; default `carts`. */
  serviceName: 'OTEL_SERVICE_NAME',
  /** `key=value,key=value` resource attributes (e.g. `deployment.environment.name=prod`). */
  resourceAttributes: 'OTEL_RESOURCE_ATTRIBUTES',
  /** `parentbased_always_on` (default), `parentbased_traceidratio`, `traceidratio`, `always_on`, ... */
  sampler: 'OTEL_TRACES_SAMPLER',
  /** The ratio (0 to 1) of the `*traceidratio` samplers. */
  samplerArg: 'OTEL_TRACES_SAMPLER_ARG',
} as const;

/** The path OTLP/HTTP receivers take traces on (appended to `OTEL_EXPORTER_OTLP_ENDPOINT`). */
export const OTLP_TRACES_PATH = '/v1/traces';

/*
 * Zero-downtime rollouts and scale-in. On SIGTERM the pod keeps serving for the drain window while the endpoint
 * controller, kube-proxy and the Load Balancer Controller take it out of rotation (readiness answers 503 and every
 * response carries `Connection: close`, so kept-alive clients reconnect to another pod); then it stops accepting,
 * lets in-flight requests finish within the shutdown timeout, closes the remaining connections and exits.
 * Invariant: drain + shutdown timeout + margin <= terminationGracePeriodSeconds.
 */

/** Default drain window after SIGTERM in a container (`npm run dev` defaults to 0). */
export const DEFAULT_SHUTDOWN_DRAIN_MS = 10_000;

/**
 * Default time allowed for in-flight requests once the drain window is over. Above the longest a cart request can
 * take: 3 DynamoDB attempts of at most 5 s each, plus backoff.
 */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 20_000;

/** Headroom after drain + shutdown timeout for flushing traces and exiting before the kubelet's SIGKILL. */
export const SHUTDOWN_MARGIN_SECONDS = 5;

/** The pod's `terminationGracePeriodSeconds` for a drain window and a shutdown timeout (both in milliseconds). */
export function terminationGracePeriodSeconds(drainMs: number, shutdownTimeoutMs: number): number {
  return Math.ceil((drainMs + shutdownTimeoutMs) / 1000) + SHUTDOWN_MARGIN_SECONDS;
}

/** `terminationGracePeriodSeconds` for the defaults: 10 + 20 + 5 = 35. */
export const TERMINATION_GRACE_PERIOD_SECONDS = terminationGracePeriodSeconds(
  DEFAULT_SHUTDOWN_DRAIN_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
);

/**
 * The container's preStop sleep: none. The service drains by itself after SIGTERM, so a sleep would only add to
 * the drain window (and the image would need a shell, or Kubernetes' `sleep` action).
 */
export const PRE_STOP_SLEEP_SECONDS = 0;

/**
 * The ALB target group's `deregistration_delay.timeout_seconds`: how long the ALB lets requests it already sent
 * finish before it cuts a deregistered target's connections. The shutdown timeout (the longest a request may
 * take), well below the grace period, so the ALB is done with a pod before the pod has to be gone.
 */
export const ALB_DEREGISTRATION_DELAY_SECONDS = DEFAULT_SHUTDOWN_TIMEOUT_MS / 1000;
