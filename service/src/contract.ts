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
  /** Ours: how long in-flight requests may take to finish after SIGTERM, in milliseconds. */
  shutdownTimeoutMs: 'SHUTDOWN_TIMEOUT_MS',
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

/** Default time allowed for in-flight requests after SIGTERM; keep the pod's grace period above it. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 20_000;
